namespace VibeEnsemble.Domain.Agents;

/// <summary>The live connection an agent speaks through: an MCP session or a native WebSocket.</summary>
/// <param name="ConnectionId">Identifier of the session, unique while it lives.</param>
/// <param name="Transport">How the agent is connected: http, sse, ws, stdio or rpc.</param>
/// <param name="ClientName">The client's own name, e.g. <c>claude-code</c>, when it told us.</param>
public sealed record AgentConnection(string ConnectionId, string Transport, string? ClientName);
