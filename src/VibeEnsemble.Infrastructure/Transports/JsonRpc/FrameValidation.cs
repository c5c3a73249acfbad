using System.Text.Json;
using System.Runtime.InteropServices;

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

/// <summary>
/// One incoming frame, parsed once. For a call it keeps the parsed document alive until disposed, so the params
/// can be bound straight from it; dispose before the frame's buffer is reused.
/// </summary>
public sealed class FrameValidation : IDisposable
{
    private readonly JsonDocument? _document;

    private FrameValidation(FrameKind kind, JsonDocument? document, byte[] errorResponse)
    {
        Kind = kind;
        _document = document;
        ErrorResponse = errorResponse;
    }

    public FrameKind Kind { get; }

    /// <summary>For <see cref="FrameKind.Invalid"/>: the JSON-RPC error response to send back.</summary>
    public byte[] ErrorResponse { get; }

    public string Method { get; private init; } = "";

    /// <summary>The id exactly as sent (a JSON string or number), or null for a notification.</summary>
    public byte[]? Id { get; private init; }

    /// <summary>The params, valid until this is disposed; null when absent.</summary>
    public JsonElement? Params { get; private init; }

    internal static FrameValidation Invalid(JsonElement? id, int code, string message) =>
        new(FrameKind.Invalid, null, JsonRpcErrors.Response(id, code, message));

    internal static FrameValidation Call(JsonDocument document, string method, byte[]? id, JsonElement? parameters) =>
        new(FrameKind.Call, document, []) { Method = method, Id = id, Params = parameters };

    internal static FrameValidation Response() => new(FrameKind.Response, null, []);

    public void Dispose() => _document?.Dispose();
}

/// <summary>
/// Checks a frame against JSON-RPC 2.0 in one parse: parse errors get -32700, anything that is not one
/// well-formed message -32600 (echoing the id when it could be read), and the connection stays up either way.
/// </summary>
public static class JsonRpcFrameValidator
{
    /// <remarks>The document is parsed over <paramref name="frame"/> without a copy: keep it intact until disposal.</remarks>
    public static FrameValidation Validate(ReadOnlyMemory<byte> frame)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException ex)
        {
            return FrameValidation.Invalid(null, JsonRpcErrors.ParseError, $"Parse error: {ex.Message}");
        }

        var keep = false;
        try
        {
            var result = Classify(document);
            keep = result.Kind == FrameKind.Call;
            return result;
        }
        finally
        {
            if (!keep)
            {
                document.Dispose();
            }
        }
    }

    private static FrameValidation Classify(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            return FrameValidation.Invalid(null, JsonRpcErrors.InvalidRequest, "Batch requests are not supported; send one message per frame.");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return FrameValidation.Invalid(null, JsonRpcErrors.InvalidRequest, "A JSON-RPC message must be a JSON object.");
        }

        JsonElement? id = null;
        if (root.TryGetProperty("id"u8, out var idElement))
        {
            if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                return FrameValidation.Invalid(null, JsonRpcErrors.InvalidRequest, "'id' must be a string or a number.");
            }

            id = idElement;
        }

        if (!root.TryGetProperty("jsonrpc"u8, out var version) || version.ValueKind != JsonValueKind.String
            || !version.ValueEquals("2.0"u8))
        {
            return FrameValidation.Invalid(id, JsonRpcErrors.InvalidRequest, "'jsonrpc' must be exactly \"2.0\".");
        }

        if (root.TryGetProperty("method"u8, out var method))
        {
            if (method.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(method.GetString()))
            {
                return FrameValidation.Invalid(id, JsonRpcErrors.InvalidRequest, "'method' must be a non-empty string.");
            }

            JsonElement? parameters = null;
            if (root.TryGetProperty("params"u8, out var paramsElement))
            {
                if (paramsElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                {
                    return FrameValidation.Invalid(id, JsonRpcErrors.InvalidRequest, "'params' must be an object or an array.");
                }

                parameters = paramsElement;
            }

            var rawId = id is { } value ? JsonMarshalRaw(value) : null;
            return FrameValidation.Call(document, method.GetString()!, rawId, parameters);
        }

        var isResponse = id is not null
            && (root.TryGetProperty("result"u8, out _) ^ root.TryGetProperty("error"u8, out _));
        return isResponse
            ? FrameValidation.Response()
            : FrameValidation.Invalid(id, JsonRpcErrors.InvalidRequest, "A request needs 'method'; a response needs 'id' and one of 'result' or 'error'.");
    }

    private static byte[] JsonMarshalRaw(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).ToArray();
}
