using System.Net;
using Microsoft.Extensions.Options;
using VibeEnsemble.Web.Configuration;

namespace VibeEnsemble.Web.Hosting;

/// <summary>
/// A request from another machine (or any request, with <c>RequireToken</c>) must carry the access token: <c>Authorization: Bearer</c>
/// (agents, scripts), or a cookie set from a one-time <c>?access_token=</c> (a browser opening the dashboard, or a
/// WebSocket client that cannot set headers). Loopback requests, spawned workers included, need none. The token is
/// compared in constant time and never logged.
/// </summary>
internal sealed class AccessTokenMiddleware(
    RequestDelegate next, AccessTokens tokens, IOptions<ServerOptions> options, IProblemDetailsService problems)
{
    public const string CookieName = "vibe_access";
    public const string QueryName = "access_token";

    public async Task InvokeAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (!options.Value.RequireToken && (remote is null || IPAddress.IsLoopback(remote)))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var query = context.Request.Query[QueryName].ToString();
        if (Matches(header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null)
            || Matches(context.Request.Cookies[CookieName]))
        {
            await next(context);
            return;
        }

        if (Matches(query))
        {
            // Kept for the browser's next requests (the Blazor circuit, assets), never readable by scripts.
            context.Response.Cookies.Append(CookieName, query, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, IsEssential = true,
            });
            await next(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Access token required",
            $"This request needs the server's access token (VibeEnsemble:Server:AccessToken, or the file '{AccessTokens.FileName}' in its data folder): send 'Authorization: Bearer <token>', or open the dashboard once with ?{QueryName}=<token>.");
    }

    private bool Matches(string? presented) => tokens.Matches(presented);
}
