using System.ComponentModel;
using ModelContextProtocol.Server;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Conflicts;

namespace VibeEnsemble.Web.Mcp.Tools;

/// <summary>MCP face of <see cref="ReservationService"/>; <c>vibe/conflict/*</c> is the other.</summary>
[McpServerToolType]
public sealed class ConflictTools(ReservationService reservations, AgentService agents, McpSessionTracker sessions)
{
    [McpServerTool(Name = "reserve_files", Title = "Reserve files", OpenWorld = false)]
    [Description("Reserve paths or globs before editing them. All or nothing: if another agent holds an overlapping one, nothing is reserved and the overlaps are listed.")]
    public Task<ReservationResult> ReserveFilesAsync(
        McpServer server,
        [Description("Project-relative paths or globs, e.g. ['src/api/**', 'README.md'].")] string[] paths,
        [Description("Exclusive (default true); shared reservations coexist with other shared ones.")] bool? exclusive = null,
        [Description("Why, for whoever runs into it.")] string? reason = null,
        [Description("The task this is for.")] string? taskId = null,
        [Description("Project name; optional when there is one project.")] string? project = null,
        [Description("Seconds until it expires, 1-86400 (default 3600).")] int? ttlSeconds = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => reservations.ReserveAsync(new ReserveFilesRequest(paths, exclusive, reason, taskId, project, ttlSeconds),
            agents.RequireCaller(sessions.Describe(server)), cancellationToken));

    [McpServerTool(Name = "release_files", Title = "Release files", OpenWorld = false)]
    [Description("Release your reservations by id or path; with neither, all of yours. Returns how many.")]
    public Task<int> ReleaseFilesAsync(
        McpServer server,
        [Description("Reservation ids.")] string[]? reservationIds = null,
        [Description("Reserved paths or globs, as reserved.")] string[]? paths = null,
        [Description("Project name, for paths.")] string? project = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => reservations.ReleaseAsync(agents.RequireCaller(sessions.Describe(server)), reservationIds, paths, project, cancellationToken));

    [McpServerTool(Name = "renew_reservation", Title = "Renew reservation", OpenWorld = false)]
    [Description("Extend one of your reservations from now.")]
    public Task<ReservationSnapshot> RenewReservationAsync(
        McpServer server,
        [Description("The reservation's id.")] string reservationId,
        [Description("Seconds from now, 1-86400 (default 3600).")] int? ttlSeconds = null,
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
    [Description("Before editing: other agents' reservations overlapping these paths (empty when clear).")]
    public Task<IReadOnlyList<ReservationOverlap>> CheckConflictsAsync(
        McpServer server,
        [Description("Paths or globs you are about to touch.")] string[] paths,
        [Description("Project name; optional when there is one project.")] string? project = null,
        CancellationToken cancellationToken = default) =>
        ToolErrors.ExplainAsync(() => reservations.CheckAsync(agents.OptionalCaller(sessions.Describe(server)), paths, project, cancellationToken));
}
