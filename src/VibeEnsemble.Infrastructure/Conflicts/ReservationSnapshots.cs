using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Infrastructure.Conflicts;

public sealed record ReservationSnapshot(
    Guid Id, string Agent, string Path, bool Exclusive, string? Reason, Guid? TaskId, string? Project, DateTimeOffset Since,
    DateTimeOffset ExpiresAt);

/// <summary>Someone else's active reservation in the way of a path: who, what, since when and why.</summary>
public sealed record ReservationOverlap(string Path, ReservationSnapshot HeldBy);

/// <summary>
/// What <c>reserve_files</c> answers: the reservations made, or, when any path is held by another agent in a way that
/// excludes it, none (all or nothing) and every overlap, with what to do about it.
/// </summary>
public sealed record ReservationResult(bool Granted, IReadOnlyList<ReservationSnapshot> Reservations, IReadOnlyList<ReservationOverlap> Overlaps, string? Advice);

public sealed record ReserveFilesRequest(
    IReadOnlyList<string>? Paths, bool? Exclusive = null, string? Reason = null, string? TaskId = null, string? Project = null, int? TtlSeconds = null,
    bool? AskHolders = null);

/// <summary>Reservations were made ("reserved"), released or renewed by (or, for a person's release, held by) an agent.</summary>
public sealed record ReservationsChanged(string Change, Guid AgentId, IReadOnlyList<ReservationSnapshot> Reservations, DateTimeOffset At)
    : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.Reservation;
}

public static class ReservationInputs
{
    public const int MaxPaths = 100;

    public static Guid ParseId(string? value, string parameter = "reservationId") =>
        Inputs.Id(value, parameter, "a reservation id", "the id reserve_files or list_reservations returned");

    public static IReadOnlyList<string> Paths(IReadOnlyList<string>? paths) =>
        paths is null || paths.Count == 0 ? throw new DomainException("'paths' is required: one or more paths or globs relative to the project, e.g. ['src/api/**'].")
        : paths.Count > MaxPaths ? throw new DomainException($"'paths' lists {paths.Count} entries; at most {MaxPaths} are allowed.")
        : paths;
}
