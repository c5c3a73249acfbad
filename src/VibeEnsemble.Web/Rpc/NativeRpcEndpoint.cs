using System.Runtime.CompilerServices;
using System.Text.Json;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Messages;
using VibeEnsemble.Infrastructure.Permissions;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Infrastructure.Workers;
using VibeEnsemble.Infrastructure.Transports.JsonRpc;
using VibeEnsemble.Web.Hosting;

namespace VibeEnsemble.Web.Rpc;

/// <summary>The native coordination API: JSON-RPC 2.0 over WebSocket at <c>/ws</c>.</summary>
internal static partial class NativeRpcEndpoint
{
    // Each event is encoded once, by whichever connection needs it first, and the bytes sent to all the others.
    private static readonly ConditionalWeakTable<CoordinationEvent, byte[]> s_encoded = new();
    private static int s_open;

    /// <summary>Native API connections open now (for /api/stats: a leak shows as a count that does not fall).</summary>
    public static int OpenConnections => Volatile.Read(ref s_open);

    public static async Task HandleAsync(
        HttpContext context, JsonRpcMethods<VibeRpcConnection> methods, AgentService agents, AssignmentListeners listeners,
        CoordinationEventBus events, ILogger<JsonRpcWebSocketSession<VibeRpcConnection>> logger, IHostApplicationLifetime lifetime,
        Microsoft.Extensions.Options.IOptions<Infrastructure.Transports.ConnectionOptions> connections)
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

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new AgentConnection($"rpc-{Guid.NewGuid():N}", "rpc",
            context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
        using var subscription = events.SubscribeFor(connection.ConnectionId, EventKinds.Default);
        await using var session = new JsonRpcWebSocketSession<VibeRpcConnection>(
            socket, methods, new VibeRpcConnection(connection, subscription), logger, connections.Value.SendStallTimeout,
            token => agents.TouchAsync(connection.ConnectionId, token));

        using var sessionLifetime = new WebSocketSessionLifetime(context, lifetime, session.GoAwayAsync);
        var cancellationToken = sessionLifetime.Token;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        LogConnected(logger, connection.ConnectionId);
        Interlocked.Increment(ref s_open);
        var forwarding = ForwardAsync(session, subscription, connection.ConnectionId, logger, stop.Token);
        try
        {
            await session.RunAsync(cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await forwarding;
            Interlocked.Decrement(ref s_open);
            LogDisconnected(logger, connection.ConnectionId);
            listeners.Stop(connection.ConnectionId);
            await agents.DisconnectAsync(connection.ConnectionId, CancellationToken.None);
        }
    }

    /// <summary>
    /// Pushes the events this client subscribed to, leaving out the ones it caused itself and assignments meant for
    /// another connection.
    /// </summary>
    private static async Task ForwardAsync(
        JsonRpcWebSocketSession<VibeRpcConnection> session, EventSubscription subscription, string ownConnectionId,
        ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in subscription.ReadAllAsync(cancellationToken))
            {
                var forUs = change switch
                {
                    AgentChanged { ConnectionId: var cause } => cause != ownConnectionId,
                    TaskAssigned { ConnectionId: var target } => target == ownConnectionId,
                    MessageSent { Connections: var targets } => targets.Contains(ownConnectionId),
                    _ => true,
                };
                // An event with no notification (a kind added without one) is skipped, never fatal to the connection.
                if (forUs && s_encoded.GetValue(change, Encode) is { Length: > 0 } encoded)
                {
                    await session.NotifyAsync(encoded, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
            LogForwardStopped(logger, ex.Message);
        }
    }

    private static byte[] Encode(CoordinationEvent coordinationEvent) => coordinationEvent switch
    {
        AgentChanged changed => Serialize(changed.Change switch
        {
            AgentChange.Disconnected => VibeRpcNotifications.AgentOffline,
            AgentChange.Stale => VibeRpcNotifications.AgentStale,
            AgentChange.Heartbeat => VibeRpcNotifications.AgentHeartbeat,
            _ => VibeRpcNotifications.AgentRegistered,
        }, changed.Agent),
        TaskChanged changed => Serialize(VibeRpcNotifications.TaskUpdated, changed.Task),
        WorkerChanged changed => Serialize(VibeRpcNotifications.WorkerUpdated, changed.Worker),
        TaskAssigned assigned => Serialize(VibeRpcNotifications.TaskAssign, assigned.Task),
        ChildrenFinished finished => Serialize(VibeRpcNotifications.ChildrenFinished, new { finished.Parent, finished.Children }),
        TaskEscalated escalated => Serialize(VibeRpcNotifications.TaskEscalated, new { escalated.Task, escalated.Reason }),
        WorkerOutputAppended appended => Serialize(VibeRpcNotifications.WorkerOutput, new { appended.WorkerId, appended.Line }),
        PermissionRequested { Request.State: Domain.Permissions.PermissionState.Pending } requested =>
            Serialize(VibeRpcNotifications.PermissionRequested, requested.Request),
        PermissionRequested decided => Serialize(VibeRpcNotifications.PermissionDecided, decided.Request),
        PermissionDecided decided => Serialize(VibeRpcNotifications.PermissionDecided, decided.Request),
        PermissionRulesChanged => Serialize(VibeRpcNotifications.PermissionRulesChanged, new { }),
        MessageSent sent => Serialize(VibeRpcNotifications.Message, sent.Message),
        Infrastructure.Issues.IssueChanged changed => Serialize(VibeRpcNotifications.IssueUpdated, changed.Issue),
        Infrastructure.Knowledge.KnowledgeChanged changed => Serialize(VibeRpcNotifications.KnowledgeUpdated, changed.Entry with { Body = "" }),
        Infrastructure.Conflicts.ReservationsChanged changed => Serialize(VibeRpcNotifications.ReservationUpdated,
            new { changed.Change, changed.AgentId, changed.Reservations }),
        Infrastructure.Conflicts.ConflictChanged changed => Serialize(VibeRpcNotifications.ConflictDetected, new { changed.Change, changed.Conflict }),
        _ => [],
    };

    private static byte[] Serialize<T>(string method, T parameters) => JsonSerializer.SerializeToUtf8Bytes(
        new Notification<T>("2.0", method, parameters), JsonRpcMethods<VibeRpcConnection>.SerializerOptions);

    private sealed record Notification<T>(string Jsonrpc, string Method, T Params);

    [LoggerMessage(Level = LogLevel.Information, Message = "Native RPC client {ConnectionId} connected.")]
    private static partial void LogConnected(ILogger logger, string connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Native RPC client {ConnectionId} disconnected.")]
    private static partial void LogDisconnected(ILogger logger, string connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stopped pushing notifications: {Reason}")]
    private static partial void LogForwardStopped(ILogger logger, string reason);
}
