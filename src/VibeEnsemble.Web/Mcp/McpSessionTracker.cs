using System.Collections.Concurrent;
using ModelContextProtocol.Server;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Infrastructure.Agents;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// Knows every live MCP session and its transport, and takes its agents offline when it ends.
/// Every transport runs its sessions through <see cref="RunAsync"/>.
/// </summary>
public sealed partial class McpSessionTracker(AgentService agents, ILogger<McpSessionTracker> logger)
{
    private readonly ConcurrentDictionary<string, string> _transports = new();

    public int ActiveSessions => _transports.Count;

    /// <summary>Runs a session to its end, then releases whatever agents it had registered.</summary>
    public async Task RunAsync(McpServer server, string sessionId, string transport, CancellationToken cancellationToken)
    {
        _transports[sessionId] = transport;
        LogSessionStarted(logger, sessionId, transport);
        try
        {
            await server.RunAsync(cancellationToken);
        }
        finally
        {
            _transports.TryRemove(sessionId, out _);
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
        var transport = _transports.TryGetValue(sessionId, out var known) ? known : "http";
        return new AgentConnection(sessionId, transport, server.ClientInfo?.Name);
    }

    /// <summary>Id given to the single stdio session of this process (stdio has no session ids of its own).</summary>
    public string? StdioSessionId { get; set; }

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP session {SessionId} started over {Transport}.")]
    private static partial void LogSessionStarted(ILogger logger, string sessionId, string transport);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP session {SessionId} over {Transport} ended.")]
    private static partial void LogSessionEnded(ILogger logger, string sessionId, string transport);
}
