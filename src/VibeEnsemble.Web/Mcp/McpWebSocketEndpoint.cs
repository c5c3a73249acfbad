using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using VibeEnsemble.Infrastructure.Transports.WebSockets;
using VibeEnsemble.Web.Hosting;

namespace VibeEnsemble.Web.Mcp;

/// <summary>MCP over WebSocket (subprotocol <c>mcp</c>), served with the same tools as every other transport.</summary>
internal static class McpWebSocketEndpoint
{
    public static async Task HandleAsync(
        HttpContext context, IOptions<McpServerOptions> options, McpSessionTracker sessions, ILoggerFactory loggerFactory,
        IHostApplicationLifetime lifetime, IOptions<Infrastructure.Transports.ConnectionOptions> connections)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "WebSocket upgrade required",
                    detail: $"Connect with a WebSocket client using subprotocol '{WebSocketMcpTransport.SubProtocol}'.")
                .ExecuteAsync(context);
            return;
        }

        // Checked before the upgrade, so an unknown role is a 400 with the reason (the exception handler writes it).
        var role = McpSetup.RequestedRole(context);
        var subProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains(WebSocketMcpTransport.SubProtocol)
            ? WebSocketMcpTransport.SubProtocol
            : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(subProtocol);
        var sessionId = $"ws-{Guid.NewGuid():N}";
        await using var transport = new WebSocketMcpTransport(socket, sessionId, loggerFactory, connections.Value.SendStallTimeout);
        await using var server = McpServer.Create(transport, options.Value, loggerFactory, context.RequestServices);

        using var sessionLifetime = new WebSocketSessionLifetime(context, lifetime, transport.GoAwayAsync);
        var cancellationToken = sessionLifetime.Token;
        var pump = transport.RunAsync(cancellationToken);
        try
        {
            await sessions.RunAsync(server, sessionId, "ws", cancellationToken, role: role);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await pump;
    }
}
