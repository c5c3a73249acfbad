using System.ComponentModel;
using ModelContextProtocol.Server;
using VibeEnsemble.Infrastructure.Agents;

namespace VibeEnsemble.Web.Mcp.Tools;

/// <summary>MCP face of <see cref="AgentService"/>; <c>vibe/agent/*</c> is the other one.</summary>
[McpServerToolType]
public sealed class AgentTools(AgentService agents, McpSessionTracker sessions)
{
    [McpServerTool(Name = "register_agent", Title = "Register agent", Idempotent = true, OpenWorld = false)]
    [Description("Register this session as a Vibe Ensemble agent so the coordinator can assign it work. "
        + "Call it once at the start of a session. Registering a name that is already known restores that agent "
        + "(same id, history kept) on this connection. Returns the agent as stored.")]
    public Task<AgentSnapshot> RegisterAgentAsync(
        McpServer server,
        [Description("Unique agent name, e.g. 'coordinator' or 'frontend-worker-1'. Case-insensitive, at most 100 characters.")]
        string name,
        [Description("What the agent can do, e.g. ['typescript', 'react', 'testing']. Tasks are matched on these.")]
        string[]? capabilities = null,
        [Description("Broader roles, e.g. ['frontend', 'code-review'].")]
        string[]? specializations = null,
        [Description("Named message groups to be in, e.g. ['reviewers']; replaces the ones kept from before. Omit to keep them.")]
        string[]? groups = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => agents.RegisterAsync(
            new RegisterAgentCommand(name, capabilities, specializations, groups), sessions.Describe(server), cancellationToken));

    [McpServerTool(Name = "join_group", Title = "Join or leave a group", Idempotent = true, OpenWorld = false)]
    [Description("Join a named message group (or leave it): messages to 'group:<name>' reach its members, "
        + "kept until they leave. Returns the agent as stored.")]
    public Task<AgentSnapshot> JoinGroupAsync(
        McpServer server,
        [Description("The group's name, e.g. 'reviewers'. At most 100 characters.")]
        string group,
        [Description("Leave the group instead of joining it.")]
        bool leave = false,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => agents.ChangeGroupAsync(sessions.Describe(server), group, leave, cancellationToken));

    [McpServerTool(Name = "list_agents", Title = "List agents", ReadOnly = true, OpenWorld = false)]
    [Description("List the agents known to Vibe Ensemble with their capabilities, status (Online, Busy, Stale: connected but silent, Offline) "
        + "and when each was last seen.")]
    public Task<IReadOnlyList<AgentSnapshot>> ListAgentsAsync(
        [Description("Only agents in this status: Online, Busy, Stale or Offline. Omit for all.")]
        string? status = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => agents.ListAsync(AgentStatusFilter.Parse(status), cancellationToken));

    [McpServerTool(Name = "heartbeat", Title = "Heartbeat", OpenWorld = false)]
    [Description("Tell Vibe Ensemble this agent is still alive. An agent that had gone offline comes back online "
        + "on this connection. Returns the agent as stored.")]
    public Task<AgentSnapshot> HeartbeatAsync(
        McpServer server,
        [Description("The name the agent registered with.")]
        string name,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => agents.HeartbeatAsync(name, sessions.Describe(server), cancellationToken));
}
