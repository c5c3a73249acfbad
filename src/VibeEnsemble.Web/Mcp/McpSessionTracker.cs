using System.Collections.Concurrent;
using ModelContextProtocol.Server;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// Knows every live MCP session and its transport, and takes its agents offline when it ends.
/// Every transport runs its sessions through <see cref="RunAsync"/>.
/// </summary>
public sealed partial class McpSessionTracker(AgentService agents, WorkerRegistry workers, ILogger<McpSessionTracker> logger)
{
    private readonly ConcurrentDictionary<string, string> _transports = new();

    /// <summary>Sessions opened by spawned workers: the connection their agent is bound to (the process, not the session).</summary>
    private readonly ConcurrentDictionary<string, string> _workerConnections = new();

    private readonly ConcurrentDictionary<string, McpRole> _roles = new();
    private readonly ConcurrentDictionary<string, McpServer> _servers = new();

    public int ActiveSessions => _transports.Count;

    public bool IsActive(string sessionId) => _transports.ContainsKey(sessionId);

    /// <summary>Runs a session to its end, then releases whatever agents it had registered.</summary>
    /// <param name="workerToken">
    /// The secret a spawned worker's MCP config carries; when it names a running worker, the session acts as that
    /// worker's agent for its task.
    /// </param>
    /// <param name="role">The role the client asked for; a recognised worker is a worker whatever it asked.</param>
    public async Task RunAsync(
        McpServer server, string sessionId, string transport, CancellationToken cancellationToken, string? workerToken = null,
        McpRole role = McpRole.Everything)
    {
        _transports[sessionId] = transport;
        _roles[sessionId] = role;
        _servers[sessionId] = server;
        if (!string.IsNullOrEmpty(workerToken))
        {
            if (workers.FindByToken(workerToken) is { } worker)
            {
                _workerConnections[sessionId] = worker.ConnectionId;
                _roles[sessionId] = McpRole.Worker;
                LogWorkerSession(logger, sessionId, worker.WorkerId);
            }
            else
            {
                LogUnknownWorker(logger, sessionId);
            }
        }

        LogSessionStarted(logger, sessionId, transport);
        try
        {
            await server.RunAsync(cancellationToken);
        }
        finally
        {
            _transports.TryRemove(sessionId, out _);
            _servers.TryRemove(sessionId, out _);
            _workerConnections.TryRemove(sessionId, out _);
            _roles.TryRemove(sessionId, out _);
            LogSessionEnded(logger, sessionId, transport);
            // The session is over whatever the reason; the token may already be cancelled.
            await agents.DisconnectAsync(sessionId, CancellationToken.None);
        }
    }

    /// <summary>Describes the connection a tool call arrived on, to bind an agent to it.</summary>
    public AgentConnection Describe(McpServer server)
    {
        var sessionId = server.SessionId ?? StdioSessionId
            ?? throw new InvalidOperationException("MCP session has no id.");
        if (_workerConnections.TryGetValue(sessionId, out var workerConnection))
        {
            return new AgentConnection(workerConnection, "worker", server.ClientInfo?.Name);
        }

        var transport = _transports.TryGetValue(sessionId, out var known) ? known : "http";
        return new AgentConnection(sessionId, transport, server.ClientInfo?.Name);
    }

    /// <summary>The live MCP session whose agents are bound to <paramref name="connectionId"/> (its session id), if any.</summary>
    public McpServer? SessionOf(string connectionId) => _servers.GetValueOrDefault(connectionId);

    /// <summary>Which tools this session is offered.</summary>
    public McpRole RoleOf(McpServer server) =>
        (server.SessionId ?? StdioSessionId) is { } sessionId && _roles.TryGetValue(sessionId, out var role) ? role : McpRole.Everything;

    /// <summary>The task a spawned worker's session was started for, so its reports need not name it.</summary>
    public Guid? BoundTask(McpServer server) =>
        server.SessionId is { } sessionId && _workerConnections.TryGetValue(sessionId, out var connection) ? workers.TaskOf(connection) : null;

    /// <summary>The running worker a spawned worker's session belongs to; null for every other session.</summary>
    public WorkerRun? BoundWorker(McpServer server) =>
        server.SessionId is { } sessionId && _workerConnections.TryGetValue(sessionId, out var connection) ? workers.ByConnection(connection) : null;

    /// <summary>Id given to the single stdio session of this process (stdio has no session ids of its own).</summary>
    public string? StdioSessionId { get; set; }

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP session {SessionId} started over {Transport}.")]
    private static partial void LogSessionStarted(ILogger logger, string sessionId, string transport);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP session {SessionId} belongs to worker {WorkerId}.")]
    private static partial void LogWorkerSession(ILogger logger, string sessionId, Guid workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP session {SessionId} presented a worker token no running worker has; it is served as an ordinary session.")]
    private static partial void LogUnknownWorker(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP session {SessionId} over {Transport} ended.")]
    private static partial void LogSessionEnded(ILogger logger, string sessionId, string transport);
}
