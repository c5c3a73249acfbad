using Microsoft.Extensions.Options;
using VibeEnsemble.Web.Configuration;

namespace VibeEnsemble.Web.Hosting;

/// <summary>
/// Keeps the two listeners apart: agent endpoints answer only on the agent port, the dashboard only on the
/// dashboard port (<c>/api</c> answers on both). A wrong port gets a 404 that names the right one.
/// </summary>
internal sealed class PortPartitionMiddleware(RequestDelegate next, IOptions<ServerOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var server = options.Value;
        var localPort = context.Connection.LocalPort;
        var path = context.Request.Path;
        var misdirected = server.DashboardPort != server.AgentPort && !path.StartsWithSegments("/api")
            && ((localPort == server.DashboardPort && AgentEndpoints.IsAgentPath(path))
                || (localPort == server.AgentPort && !AgentEndpoints.IsAgentPath(path)));
        if (!misdirected)
        {
            await next(context);
            return;
        }

        var (what, port) = localPort == server.DashboardPort
            ? ("Agent endpoints", server.AgentPort)
            : ("The dashboard", server.DashboardPort);
        await Results.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Wrong port",
                detail: $"{what} are served on port {port}.")
            .ExecuteAsync(context);
    }
}
