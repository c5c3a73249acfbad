using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using VibeEnsemble.Infrastructure.Transports;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// Parameters of the wrong shape are answered -32602 saying where. The SDK reads a request's parameters inside its
/// handler and answers any exception there -32603 "An error occurred.", which tells a client nothing and blames the
/// server for the client's mistake.
/// </summary>
internal static class InvalidParams
{
    /// <summary>The outermost incoming message filter, so that every request's parameters pass through it.</summary>
    public static McpMessageHandler Filter(McpMessageHandler next) => async (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is not JsonRpcRequest request)
        {
            await next(context, cancellationToken);
            return;
        }

        // Every MCP method takes named parameters; JSON-RPC's positional form (an array) has no meaning here.
        if (request.Params is not (null or JsonObject))
        {
            throw new McpProtocolException("Invalid params: 'params' must be an object of named values.", McpErrorCode.InvalidParams);
        }

        try
        {
            await next(context, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new McpProtocolException(Message(ex), ex, McpErrorCode.InvalidParams);
        }
    };

    /// <summary>A JSON-RPC error response for parameters that did not bind, when no session is there to send it.</summary>
    public static JsonRpcError Response(JsonException exception) => new()
    {
        Id = default,
        Error = new JsonRpcErrorDetail { Code = (int)McpErrorCode.InvalidParams, Message = Message(exception) },
    };

    private static string Message(JsonException exception) => $"{JsonRpcErrors.InvalidParamsAt(exception)}.";
}
