using System.Buffers;
using System.Text.Json;

namespace VibeEnsemble.Infrastructure.Transports;

/// <summary>Standard JSON-RPC 2.0 error codes and a writer for error responses.</summary>
public static class JsonRpcErrors
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>Where parameters failed to bind, for an Invalid params message (on <c>/ws</c> and over MCP alike).</summary>
    public static string InvalidParamsAt(JsonException exception) =>
        $"Invalid params: the value at '{exception.Path ?? "$"}' has the wrong type or shape";

    /// <summary>Writes <c>{"jsonrpc":"2.0","id":…,"error":{"code":…,"message":…}}</c>; a missing id is written as null.</summary>
    public static byte[] Response(JsonElement? id, int code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            if (id is { } value)
            {
                value.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
