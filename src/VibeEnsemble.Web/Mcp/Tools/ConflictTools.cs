using System.ComponentModel;
using ModelContextProtocol.Server;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Conflicts;

namespace VibeEnsemble.Web.Mcp.Tools;

/// <summary>MCP face of <see cref="ReservationService"/> and <see cref="ConflictService"/>; <c>vibe/conflict/*</c> is the other.</summary>
[McpServerToolType]
public sealed class ConflictTools(ReservationService reservations, ConflictService conflicts, AgentService agents, McpSessionTracker sessions)
{
    [McpServerTool(Name = "reserve_files", Title = "Reserve files", OpenWorld = false)]
    [Description("Reserve paths or globs before editing; all or nothing: a refusal lists the overlaps.")]
    public Task<ReservationResult> ReserveFilesAsync(
        McpServer server,
        [Description("Project-relative paths or globs, e.g. ['src/api/**'].")] string[] paths,
        [Description("Default true; shared ones coexist.")] bool? exclusive = null,
        [Description("Why.")] string? reason = null,
        [Description("Task it is for.")] string? taskId = null,
        [Description("Project; optional if only one.")] string? project = null,
        [Description("Seconds, 1-86400 (default 3600).")] int? ttlSeconds = null,
        [Description("If refused, message the holders.")] bool? askHolders = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => conflicts.ReserveAsync(new ReserveFilesRequest(paths, exclusive, reason, taskId, project, ttlSeconds, askHolders),
            agents.RequireCaller(sessions.Describe(server)), cancellationToken));

    [McpServerTool(Name = "release_files", Title = "Release files", OpenWorld = false)]
    [Description("Release your reservations by id or path; neither: all. Returns how many.")]
    public Task<int> ReleaseFilesAsync(
        McpServer server,
        [Description("Reservation ids.")] string[]? reservationIds = null,
        [Description("Paths as reserved.")] string[]? paths = null,
        [Description("Project name, for paths.")] string? project = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => reservations.ReleaseAsync(agents.RequireCaller(sessions.Describe(server)), reservationIds, paths, project, cancellationToken));

    [McpServerTool(Name = "renew_reservation", Title = "Renew reservation", OpenWorld = false)]
    [Description("Extend your reservation from now.")]
    public Task<ReservationSnapshot> RenewReservationAsync(
        McpServer server,
        [Description("The reservation's id.")] string reservationId,
        [Description("Seconds, 1-86400 (default 3600).")] int? ttlSeconds = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => reservations.RenewAsync(agents.RequireCaller(sessions.Describe(server)), ReservationInputs.ParseId(reservationId),
            ttlSeconds, cancellationToken));

    [McpServerTool(Name = "list_reservations", Title = "List reservations", ReadOnly = true, OpenWorld = false)]
    [Description("Active reservations: who holds what, until when.")]
    public Task<IReadOnlyList<ReservationSnapshot>> ListReservationsAsync(
        [Description("Only this project's.")] string? project = null,
        [Description("Only this agent's.")] string? agent = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => reservations.ListAsync(project, agent, cancellationToken));

    [McpServerTool(Name = "check_conflicts", Title = "Check conflicts", ReadOnly = true, OpenWorld = false)]
    [Description("Others' reservations on these paths (none: clear) and known hot spots.")]
    public Task<ConflictCheck> CheckConflictsAsync(
        McpServer server,
        [Description("Paths or globs.")] string[] paths,
        [Description("Project; optional if only one.")] string? project = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => conflicts.CheckAsync(agents.OptionalCaller(sessions.Describe(server)), paths, project, cancellationToken));

    [McpServerTool(Name = "list_conflicts", Title = "List conflicts", ReadOnly = true, OpenWorld = false)]
    [Description("Conflicts seen in workers' changes, newest first, with files, severity and facts.")]
    public Task<IReadOnlyList<ConflictSnapshot>> ListConflictsAsync(
        [Description("open (default), resolved, dismissed or all.")] string? state = "open",
        [Description("Only this project's.")] string? project = null,
        [Description("1-500, default 100.")] int? limit = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => conflicts.ListAsync(state, project, limit, cancellationToken));

    [McpServerTool(Name = "resolve_conflict", Title = "Resolve conflict", OpenWorld = false)]
    [Description("Settle an open conflict. first-yields/second-yields: that side's reservations are released and its task retried later; merge: you get the branches and commands; dismiss: a false alarm.")]
    public Task<ConflictSnapshot> ResolveConflictAsync(
        McpServer server,
        string conflictId,
        [Description("first-yields, second-yields, merge or dismiss.")] string outcome,
        [Description("Why.")] string? reason = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => conflicts.ResolveAsync(new ResolveConflictRequest(conflictId, outcome, reason),
            agents.OptionalCaller(sessions.Describe(server))?.Name ?? "a person", cancellationToken));

    [McpServerTool(Name = "escalate", Title = "Escalate conflict", OpenWorld = false)]
    [Description("Hand a conflict you are in to the coordinator, with a note.")]
    public Task<ConflictSnapshot> EscalateAsync(
        McpServer server,
        string conflictId,
        [Description("What makes it hard.")] string? note = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => conflicts.EscalateAsync(conflictId, note, agents.RequireCaller(sessions.Describe(server)).Name, cancellationToken));
}
