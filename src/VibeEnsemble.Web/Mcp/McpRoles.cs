using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// Who an MCP session is, and so which tools it is offered. Every tool's name, description and schema cost the model
/// tokens on every turn, so each role sees only what it uses: a spawned worker its task, a connected agent the pull
/// loop, the coordinator the planning and supervision tools, and a person's own session (no role) everything.
/// </summary>
public enum McpRole
{
    /// <summary>No role given: a person's own session, offered every tool.</summary>
    Everything,

    Coordinator,

    /// <summary>A connected session that takes work itself (<c>get_next_task</c>).</summary>
    Agent,

    /// <summary>A worker the server spawned; recognised by its config's secret, never by what it claims.</summary>
    Worker,
}

public static class McpRoles
{
    /// <summary>How a client asks for a role: <c>/mcp?role=coordinator</c> (or the header).</summary>
    public const string QueryParameter = "role";

    public const string Header = "X-Vibe-Role";

    private static readonly HashSet<string> s_worker = new(StringComparer.Ordinal)
    {
        "get_task", "update_task_progress", "complete_task", "fail_task", "approve_permission",
        "send_message", "check_inbox", "acknowledge_message", "search_knowledge", "get_knowledge",
        "reserve_files", "release_files", "renew_reservation", "check_conflicts",
    };

    private static readonly HashSet<string> s_agent = new(StringComparer.Ordinal)
    {
        "register_agent", "heartbeat", "list_agents", "join_group", "get_next_task", "get_task", "update_task_progress", "complete_task", "fail_task",
        "send_message", "reply_message", "check_inbox", "wait_for_messages", "acknowledge_message", "search_messages",
        "search_knowledge", "get_knowledge", "add_knowledge", "vote_knowledge",
        "reserve_files", "release_files", "renew_reservation", "list_reservations", "check_conflicts", "escalate",
    };

    private static readonly HashSet<string> s_coordinator = new(StringComparer.Ordinal)
    {
        "register_agent", "heartbeat", "list_agents", "join_group", "create_task", "update_task", "get_task", "list_tasks", "cancel_task",
        "retry_task", "list_workers", "get_worker_output", "stop_worker", "list_profiles", "upsert_profile", "list_projects",
        "upsert_project", "list_permission_requests", "decide_permission",
        "send_message", "reply_message", "check_inbox", "wait_for_messages", "acknowledge_message", "search_messages",
        "create_issue", "list_issues", "get_issue", "update_issue", "comment_issue", "close_issue",
        "search_knowledge", "get_knowledge", "add_knowledge", "update_knowledge", "relate_knowledge", "vote_knowledge",
        "list_reservations", "check_conflicts", "list_conflicts", "resolve_conflict",
    };

    public static bool Offers(this McpRole role, string tool) => role switch
    {
        McpRole.Worker => s_worker.Contains(tool),
        McpRole.Agent => s_agent.Contains(tool),
        McpRole.Coordinator => s_coordinator.Contains(tool),
        _ => true,
    };

    /// <summary>
    /// The role a client asked for. Asking for <c>worker</c> gives the worker's (smallest) set and nothing else: the
    /// binding to a task comes only with a spawned worker's secret.
    /// </summary>
    public static McpRole Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "all" => McpRole.Everything,
        "coordinator" => McpRole.Coordinator,
        "agent" => McpRole.Agent,
        "worker" => McpRole.Worker,
        _ => throw new DomainException(
            $"Unknown MCP role '{Inputs.Shorten(value, 40)}'; use coordinator, agent or worker, or leave it out for every tool."),
    };
}
