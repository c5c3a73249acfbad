using VibeEnsemble.Infrastructure.Conflicts;

namespace VibeEnsemble.Web.Api;

/// <summary>Conflicts over HTTP, as the person: list, read, scan now, escalate and resolve.</summary>
internal static class ConflictApiEndpoints
{
    private const string Person = "a person";

    public static RouteGroupBuilder MapConflictApi(this RouteGroupBuilder api)
    {
        api.MapGet("/conflicts", (ConflictService conflicts, string? state, string? project, int? limit, CancellationToken cancellationToken) =>
            conflicts.ListAsync(state ?? "open", project, limit, cancellationToken));
        api.MapGet("/conflicts/{conflictId}", (ConflictService conflicts, string conflictId, CancellationToken cancellationToken) =>
            conflicts.GetAsync(conflictId, cancellationToken));
        api.MapPost("/conflicts/scan", (ConflictService conflicts, CancellationToken cancellationToken) => conflicts.ScanAsync(cancellationToken));
        api.MapPost("/conflicts/{conflictId}/resolve", (ConflictService conflicts, string conflictId, ResolveBody? body, CancellationToken cancellationToken) =>
            conflicts.ResolveAsync(new ResolveConflictRequest(conflictId, body?.Outcome, body?.Reason), Person, cancellationToken));
        api.MapPost("/conflicts/{conflictId}/escalate", (ConflictService conflicts, string conflictId, EscalateBody? body, CancellationToken cancellationToken) =>
            conflicts.EscalateAsync(conflictId, body?.Note, Person, cancellationToken));
        return api;
    }

    internal sealed record ResolveBody(string? Outcome, string? Reason);

    internal sealed record EscalateBody(string? Note);
}
