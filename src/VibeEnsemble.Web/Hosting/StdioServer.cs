using Microsoft.Extensions.Options;
using VibeEnsemble.Web.Mcp;

namespace VibeEnsemble.Web.Hosting;

/// <summary>
/// <c>--stdio</c>: one MCP session over stdin/stdout, for clients that launch their server as a child process.
/// It shares the database with a running dashboard; stdout carries only protocol messages.
/// </summary>
internal static class StdioServer
{
    public static async Task RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = ContentRoot.Resolve() });
        builder.AddVibeEnsembleCore(stdio: true);
        builder.AddVibeMcp();
        builder.Services.AddHostedService<StdioMcpService>();

        using var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        await StorageStart.PrepareAsync(host.Services, serving: false);
        await host.RunAsync();
    }
}
