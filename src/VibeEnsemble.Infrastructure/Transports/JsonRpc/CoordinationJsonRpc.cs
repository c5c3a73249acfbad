using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Infrastructure.Transports.JsonRpc;

/// <summary>Error codes of the native <c>vibe/*</c> API beyond the JSON-RPC standard ones.</summary>
public static class VibeRpcErrorCodes
{
    /// <summary>The named agent, task or other entity does not exist.</summary>
    public const int NotFound = 404;
}

/// <summary>
/// A <see cref="StreamJsonRpc.JsonRpc"/> that turns domain errors into proper JSON-RPC errors and never sends a
/// stack trace to the client (StreamJsonRpc's default for unexpected exceptions).
/// </summary>
internal sealed partial class CoordinationJsonRpc(IJsonRpcMessageHandler handler, ILogger logger)
    : StreamJsonRpc.JsonRpc(handler)
{
    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        var error = exception is TargetInvocationException { InnerException: { } inner } ? inner : exception;
        switch (error)
        {
            case EntityNotFoundException notFound:
                return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)VibeRpcErrorCodes.NotFound, Message = notFound.Message };
            case DomainException domain:
                return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InvalidParams, Message = domain.Message };
            case LocalRpcException:
                return base.CreateErrorDetails(request, error);
            case var _ when FindJsonError(error) is { } json:
                // The params did not fit the method's parameter types (a string where a list belongs, ...).
                return new JsonRpcError.ErrorDetail
                {
                    Code = JsonRpcErrorCode.InvalidParams,
                    Message = $"Invalid params: the value at '{json.Path ?? "$"}' has the wrong type or shape; params are one object of named values.",
                };
            default:
                LogUnexpected(logger, error, request.Method);
                return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InternalError, Message = "Internal error." };
        }
    }

    private static JsonException? FindJsonError(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Native RPC method {Method} failed unexpectedly.")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string? method);
}
