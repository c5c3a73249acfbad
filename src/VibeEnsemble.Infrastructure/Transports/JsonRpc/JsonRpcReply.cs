using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using VibeEnsemble.Infrastructure.Transports.WebSockets;

namespace VibeEnsemble.Infrastructure.Transports.JsonRpc;

/// <summary>Writes the one response a request gets; a notification (no id) gets none.</summary>
internal readonly struct JsonRpcReply(WebSocketTextSender sender, byte[]? id)
{
    public bool Expected => id is not null;

    public Task ResultAsync<T>(T result, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        id is null
            ? Task.CompletedTask
            : sender.SendJsonAsync((id, result, type), static (writer, state) =>
            {
                WriteHead(writer, state.id);
                writer.WritePropertyName("result"u8);
                JsonSerializer.Serialize(writer, state.result, state.type);
                writer.WriteEndObject();
            }, cancellationToken);

    public Task ErrorAsync(int code, string message, CancellationToken cancellationToken) =>
        id is null
            ? Task.CompletedTask
            : sender.SendJsonAsync((id, code, message), static (writer, state) =>
            {
                WriteHead(writer, state.id);
                writer.WriteStartObject("error"u8);
                writer.WriteNumber("code"u8, state.code);
                writer.WriteString("message"u8, state.message);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }, cancellationToken);

    /// <summary>Opens the response object: <c>{"jsonrpc":"2.0","id":…</c>, the id exactly as the client sent it.</summary>
    private static void WriteHead(Utf8JsonWriter writer, byte[] id)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        writer.WriteRawValue(id, skipInputValidation: true);
    }
}
