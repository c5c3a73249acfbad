using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using VibeEnsemble.Infrastructure.Agents;

namespace VibeEnsemble.Web.Mcp;

/// <summary>Serves one MCP session over stdin/stdout and stops the process when the client goes away.</summary>
internal sealed class StdioMcpService(
    IOptions<McpServerOptions> options,
    McpSessionTracker sessions,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sessionId = $"{PresenceRegistry.StdioConnectionPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}";
        sessions.StdioSessionId = sessionId;
        try
        {
            await using var transport = new StdioServerTransport(options.Value, loggerFactory);
            await using var server = McpServer.Create(transport, options.Value, loggerFactory, services);
            await sessions.RunAsync(server, sessionId, PresenceRegistry.StdioTransport, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
