using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Transports.JsonRpc;
using VibeEnsemble.Web.Hosting;

namespace VibeEnsemble.Web.Rpc;

/// <summary>The native coordination API: JSON-RPC 2.0 over WebSocket at <c>/ws</c>.</summary>
internal static partial class NativeRpcEndpoint
{
    public static async Task HandleAsync(
        HttpContext context, AgentService agents, CoordinationEventBus events, ILoggerFactory loggerFactory,
        IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "WebSocket upgrade required",
                    detail: "The native API speaks JSON-RPC 2.0 over a WebSocket; connect with a WebSocket client.")
                .ExecuteAsync(context);
            return;
        }

        var logger = loggerFactory.CreateLogger("VibeEnsemble.Web.Rpc.NativeRpc");
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new AgentConnection($"rpc-{Guid.NewGuid():N}", "rpc",
            context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
        await using var session = new JsonRpcWebSocketSession(socket, logger);
        session.Rpc.AddLocalRpcTarget(new VibeRpcTarget(agents, connection));
        using var subscription = events.Subscribe();

        using var sessionLifetime = new WebSocketSessionLifetime(context, lifetime, session.GoAwayAsync);
        var cancellationToken = sessionLifetime.Token;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        LogConnected(logger, connection.ConnectionId);
        var forwarding = ForwardAsync(session, subscription, connection.ConnectionId, logger, stop.Token);
        try
        {
            await session.RunAsync(cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await forwarding;
            LogDisconnected(logger, connection.ConnectionId);
            await agents.DisconnectAsync(connection.ConnectionId, CancellationToken.None);
        }
    }

    /// <summary>Pushes other agents' arrivals and departures to this client.</summary>
    private static async Task ForwardAsync(
        JsonRpcWebSocketSession session, EventSubscription subscription, string ownConnectionId, ILogger logger,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in subscription.ReadAllAsync(cancellationToken))
            {
                if (change is not AgentChanged agentChanged || agentChanged.ConnectionId == ownConnectionId)
                {
                    continue;
                }

                var method = agentChanged.Change switch
                {
                    AgentChange.Registered or AgentChange.Reconnected => VibeRpcNotifications.AgentRegistered,
                    AgentChange.Disconnected => VibeRpcNotifications.AgentOffline,
                    _ => null,
                };
                if (method is not null)
                {
                    await session.Rpc.NotifyWithParameterObjectAsync(method, agentChanged.Agent);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ObjectDisposedException or StreamJsonRpc.ConnectionLostException)
        {
            LogForwardStopped(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Native RPC client {ConnectionId} connected.")]
    private static partial void LogConnected(ILogger logger, string connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Native RPC client {ConnectionId} disconnected.")]
    private static partial void LogDisconnected(ILogger logger, string connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stopped pushing notifications: {Reason}")]
    private static partial void LogForwardStopped(ILogger logger, string reason);
}
