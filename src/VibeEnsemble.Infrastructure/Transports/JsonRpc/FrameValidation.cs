using System.Buffers;
using System.Text.Json;

namespace VibeEnsemble.Infrastructure.Transports.JsonRpc;

public enum FrameKind
{
    /// <summary>A well-formed request or notification, ready for the dispatcher.</summary>
    Call,

    /// <summary>A well-formed response from the client.</summary>
    Response,

    /// <summary>Not a valid JSON-RPC 2.0 message; <see cref="FrameValidation.ErrorResponse"/> holds the reply.</summary>
    Invalid,
}

/// <summary>Result of checking one incoming frame before it reaches StreamJsonRpc.</summary>
public sealed record FrameValidation(FrameKind Kind, byte[] Payload)
{
    /// <summary>For <see cref="FrameKind.Call"/> and <see cref="FrameKind.Response"/>: the message as compact one-line JSON.</summary>
    public byte[] CompactMessage => Kind == FrameKind.Invalid ? [] : Payload;

    /// <summary>For <see cref="FrameKind.Invalid"/>: the JSON-RPC error response to send back.</summary>
    public byte[] ErrorResponse => Kind == FrameKind.Invalid ? Payload : [];
}

/// <summary>
/// Checks a frame against JSON-RPC 2.0 before StreamJsonRpc sees it. StreamJsonRpc tears the connection down on
/// invalid JSON, batches, non-object params and stray responses; checking first lets us answer each with the
/// right error code and keep the connection.
/// </summary>
public static class JsonRpcFrameValidator
{
    public static FrameValidation Validate(ReadOnlySpan<byte> frame)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame.ToArray());
        }
        catch (JsonException ex)
        {
            return Invalid(null, JsonRpcErrors.ParseError, $"Parse error: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                return Invalid(null, JsonRpcErrors.InvalidRequest, "Batch requests are not supported; send one message per frame.");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid(null, JsonRpcErrors.InvalidRequest, "A JSON-RPC message must be a JSON object.");
            }

            JsonElement? id = null;
            if (root.TryGetProperty("id", out var idElement))
            {
                if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                {
                    return Invalid(null, JsonRpcErrors.InvalidRequest, "'id' must be a string or a number.");
                }

                id = idElement.Clone();
            }

            if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String
                || version.GetString() != "2.0")
            {
                return Invalid(id, JsonRpcErrors.InvalidRequest, "'jsonrpc' must be exactly \"2.0\".");
            }

            if (root.TryGetProperty("method", out var method))
            {
                if (method.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(method.GetString()))
                {
                    return Invalid(id, JsonRpcErrors.InvalidRequest, "'method' must be a non-empty string.");
                }

                if (root.TryGetProperty("params", out var parameters)
                    && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                {
                    return Invalid(id, JsonRpcErrors.InvalidRequest, "'params' must be an object or an array.");
                }

                return new FrameValidation(FrameKind.Call, Compact(root));
            }

            var isResponse = id is not null
                && (root.TryGetProperty("result", out _) ^ root.TryGetProperty("error", out _));
            return isResponse
                ? new FrameValidation(FrameKind.Response, Compact(root))
                : Invalid(id, JsonRpcErrors.InvalidRequest, "A request needs 'method'; a response needs 'id' and one of 'result' or 'error'.");
        }
    }

    private static FrameValidation Invalid(JsonElement? id, int code, string message) =>
        new(FrameKind.Invalid, JsonRpcErrors.Response(id, code, message));

    private static byte[] Compact(JsonElement root)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            root.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
