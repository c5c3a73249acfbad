using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Conflicts;
using VibeEnsemble.Infrastructure.Transports.JsonRpc;

namespace VibeEnsemble.Web.Rpc;

/// <summary><c>vibe/conflict/*</c>: the twins of the MCP reservation and conflict tools, over the same services.</summary>
internal static class VibeRpcConflictMethods
{
    public static JsonRpcMethods<VibeRpcConnection> AddConflictMethods(
        this JsonRpcMethods<VibeRpcConnection> methods, ReservationService reservations, ConflictService conflicts, AgentService agents) => methods
        .Add<ReserveFilesRequest, ReservationResult>("vibe/conflict/reserve",
            (request, connection, cancellationToken) => conflicts.ReserveAsync(request ?? new ReserveFilesRequest(null),
                agents.RequireCaller(connection.Agent), cancellationToken))
        .Add<ReleaseFilesRequest, int>("vibe/conflict/release",
            (request, connection, cancellationToken) => reservations.ReleaseAsync(agents.RequireCaller(connection.Agent),
                request?.ReservationIds, request?.Paths, request?.Project, cancellationToken))
        .Add<RenewReservationRequest, ReservationSnapshot>("vibe/conflict/renew",
            (request, connection, cancellationToken) => reservations.RenewAsync(agents.RequireCaller(connection.Agent),
                ReservationInputs.ParseId(request?.ReservationId), request?.TtlSeconds, cancellationToken))
        .Add<ListReservationsRequest, IReadOnlyList<ReservationSnapshot>>("vibe/conflict/list",
            (request, _, cancellationToken) => reservations.ListAsync(request?.Project, request?.Agent, cancellationToken))
        .Add<CheckConflictsRequest, ConflictCheck>("vibe/conflict/check",
            (request, connection, cancellationToken) => conflicts.CheckAsync(agents.OptionalCaller(connection.Agent), request?.Paths,
                request?.Project, cancellationToken))
        .Add<ListConflictsRequest, IReadOnlyList<ConflictSnapshot>>("vibe/conflict/conflicts",
            (request, _, cancellationToken) => conflicts.ListAsync(request?.State ?? "open", request?.Project, request?.Limit, cancellationToken))
        .Add<ResolveConflictRequest, ConflictSnapshot>("vibe/conflict/resolve",
            (request, connection, cancellationToken) => conflicts.ResolveAsync(request ?? new ResolveConflictRequest(null, null, null),
                agents.OptionalCaller(connection.Agent)?.Name ?? "a person", cancellationToken))
        .Add<EscalateConflictRequest, ConflictSnapshot>("vibe/conflict/escalate",
            (request, connection, cancellationToken) => conflicts.EscalateAsync(request?.ConflictId, request?.Note,
                agents.RequireCaller(connection.Agent).Name, cancellationToken))
        .Add<ScanConflictsRequest, ConflictScanReport>("vibe/conflict/scan",
            (_, _, cancellationToken) => conflicts.ScanAsync(cancellationToken));
}

internal sealed record ReleaseFilesRequest(IReadOnlyList<string>? ReservationIds = null, IReadOnlyList<string>? Paths = null, string? Project = null);

internal sealed record RenewReservationRequest(string? ReservationId, int? TtlSeconds = null);

internal sealed record ListReservationsRequest(string? Project = null, string? Agent = null);

internal sealed record CheckConflictsRequest(IReadOnlyList<string>? Paths, string? Project = null);

internal sealed record ListConflictsRequest(string? State = null, string? Project = null, int? Limit = null);

internal sealed record EscalateConflictRequest(string? ConflictId, string? Note = null);

internal sealed record ScanConflictsRequest;
