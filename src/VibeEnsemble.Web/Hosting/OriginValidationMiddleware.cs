using System.Net;
using Microsoft.Extensions.Options;
using VibeEnsemble.Web.Configuration;

namespace VibeEnsemble.Web.Hosting;

/// <summary>
/// Refuses requests whose <c>Origin</c> is neither loopback nor configured, on every HTTP and WebSocket endpoint.
/// Together with host filtering this stops a web page from driving local agents through DNS rebinding.
/// </summary>
internal sealed partial class OriginValidationMiddleware(
    RequestDelegate next, IOptionsMonitor<ServerOptions> options, ILogger<OriginValidationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsAllowed(origin, options.CurrentValue))
        {
            await next(context);
            return;
        }

        LogRefused(logger, origin, context.Request.Path);
        await Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Origin not allowed",
                detail: $"Requests from origin '{origin}' are refused. Add it to {ServerOptions.SectionName}:AllowedOrigins to allow it.")
            .ExecuteAsync(context);
    }

    internal static bool IsAllowed(string origin, ServerOptions options)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)))
        {
            return true;
        }

        return options.AllowedOrigins.Any(allowed =>
            Uri.TryCreate(allowed, UriKind.Absolute, out var allowedUri)
            && Uri.Compare(uri, allowedUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request to {Path} from origin {Origin}.")]
    private static partial void LogRefused(ILogger logger, string origin, PathString path);
}
