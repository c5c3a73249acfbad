using Microsoft.Extensions.Options;
using VibeEnsemble.Web.Configuration;

namespace VibeEnsemble.Web.Hosting;

/// <summary>The normal mode: dashboard and agent endpoints over HTTP.</summary>
internal static class WebServer
{
    public static async Task RunAsync(string[] args)
    {
        var builder = CreateBuilder(args);
        // Serves MudBlazor's assets from a plain build in any environment; a no-op once published.
        builder.WebHost.UseStaticWebAssets();

        var app = builder.Build();
        // Every option checked now, before the host starts: a mistake is one line naming the key (Program), not a
        // start-up failure logged with a stack trace.
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        await StorageStart.PrepareAsync(app.Services, serving: true);
        // Created now, so that uptime counts from the start and not from the first request that asks for it.
        app.Services.GetRequiredService<ServerClock>();
        // The token exists from the first start (generated into the data folder unless configured).
        _ = app.Services.GetRequiredService<AccessTokens>().Value;
        WarnIfExposed(app);
        ConnectLines.PrintWhenStarted(app);
        app.UseVibeEnsembleWeb();
        await app.RunAsync();
    }

    /// <summary>
    /// The server's host, configured exactly as a start configures it (command line, settings, services); the
    /// <c>doctor</c> and <c>init</c> commands build it to read the same options without starting anything.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Resolve() });
        builder.AddVibeEnsembleWeb();
        return builder;
    }

    /// <summary>Says plainly, at every start, that a bind beyond loopback exposes the server, and how it is guarded.</summary>
    private static void WarnIfExposed(WebApplication app)
    {
        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        if (System.Net.IPAddress.TryParse(server.BindAddress, out var address) && !System.Net.IPAddress.IsLoopback(address))
        {
            var tokens = app.Services.GetRequiredService<AccessTokens>();
            app.Logger.LogWarning(
                "Bound to {Address}: the dashboard (port {DashboardPort}) and the agent endpoints (port {AgentPort}) are reachable from other machines. They must present the access token ({Where}); use TLS in front of the server beyond a trusted network.",
                server.BindAddress, server.DashboardPort, server.AgentPort,
                tokens.Configured ? "VibeEnsemble:Server:AccessToken" : tokens.FilePath);
        }
    }
}
