using Microsoft.Extensions.Options;
using VibeEnsemble.Web.Configuration;

namespace VibeEnsemble.Web.Hosting;

/// <summary>The normal mode: dashboard and agent endpoints over HTTP.</summary>
internal static class WebServer
{
    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Resolve() });
        builder.Configuration.AddCommandLine(args, LaunchOptions.SwitchMappings);
        // Serves MudBlazor's assets from a plain build in any environment; a no-op once published.
        builder.WebHost.UseStaticWebAssets();
        builder.AddVibeEnsembleWeb();

        var app = builder.Build();
        // Every option checked now, before the host starts: a mistake is one line naming the key (Program), not a
        // start-up failure logged with a stack trace.
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        // Created now, so that uptime counts from the start and not from the first request that asks for it.
        app.Services.GetRequiredService<ServerClock>();
        app.UseVibeEnsembleWeb();
        await app.RunAsync();
    }
}
