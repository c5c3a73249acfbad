using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Conflicts;

/// <summary>
/// Two agents' work colliding, as a scan observed it: which files, how badly, the facts (overlapping lines, the trial
/// merge), and how it was settled. One conflict per pair of sides while it is open (<see cref="Key"/>): a later scan
/// updates it, never duplicates it.
/// </summary>
public sealed class Conflict
{
    public const int DetailMaxLength = 20_000;
    public const int ReasonMaxLength = 2_000;
    public const int MaxFiles = 200;

    private Conflict()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>What identifies the same conflict across scans: the kind and the two sides.</summary>
    public string Key { get; private set; } = "";

    public Guid? ProjectId { get; private set; }

    public ConflictKind Kind { get; private set; }

    public ConflictSeverity Severity { get; private set; }

    public IReadOnlyList<string> Files { get; private set; } = [];

    /// <summary>The facts for whoever resolves it: the overlapping hunks of both sides, the trial merge, a merge order.</summary>
    public string Detail { get; private set; } = "";

    public ConflictSide First { get; private set; } = null!;

    public ConflictSide Second { get; private set; } = null!;

    public ConflictState State { get; private set; }

    public DateTimeOffset? EscalatedAt { get; private set; }

    public ConflictOutcome? Outcome { get; private set; }

    public string? Resolution { get; private set; }

    public string? ResolvedBy { get; private set; }

    public DateTimeOffset DetectedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    public static string KeyOf(ConflictKind kind, ConflictSide first, ConflictSide second) =>
        $"{kind}:{first.AgentId:N}:{first.TaskId:N}:{second.AgentId:N}:{second.TaskId:N}";

    public static Conflict Detect(
        Guid? projectId, ConflictKind kind, ConflictSide first, ConflictSide second, ConflictSeverity severity,
        IEnumerable<string> files, string detail, DateTimeOffset now)
    {
        if (first.AgentId == second.AgentId)
        {
            throw new DomainException("An agent does not conflict with itself.");
        }

        var conflict = new Conflict
        {
            Id = Guid.CreateVersion7(now),
            Key = KeyOf(kind, first, second),
            ProjectId = projectId,
            Kind = kind,
            First = first,
            Second = second,
            State = ConflictState.Open,
            DetectedAt = now,
        };
        conflict.Update(severity, files, detail, now);
        return conflict;
    }

    /// <summary>What a later scan saw; false when nothing changed (then nothing is written or pushed).</summary>
    public bool Update(ConflictSeverity severity, IEnumerable<string> files, string detail, DateTimeOffset now)
    {
        RequireOpen();
        var list = files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MaxFiles).ToList();
        var text = detail.Length <= DetailMaxLength ? detail : detail[..DetailMaxLength];
        if (severity == Severity && list.SequenceEqual(Files) && text == Detail && UpdatedAt != default)
        {
            return false;
        }

        (Severity, Files, Detail, UpdatedAt) = (severity, list, text, now);
        return true;
    }

    /// <summary>Handed to the project's coordinator; false when it already was.</summary>
    public bool Escalate(DateTimeOffset now)
    {
        RequireOpen();
        if (EscalatedAt is not null)
        {
            return false;
        }

        EscalatedAt = now;
        UpdatedAt = now;
        return true;
    }

    public void Resolve(ConflictOutcome outcome, string decidedBy, string? reason, DateTimeOffset now)
    {
        RequireOpen();
        Outcome = outcome;
        ResolvedBy = Guard.Required(decidedBy, "decidedBy", 200);
        Resolution = Guard.Optional(reason, "reason", ReasonMaxLength);
        State = outcome == ConflictOutcome.Dismissed ? ConflictState.Dismissed : ConflictState.Resolved;
        ResolvedAt = now;
        UpdatedAt = now;
    }

    private void RequireOpen()
    {
        if (State != ConflictState.Open)
        {
            throw new StateConflictException($"The conflict was already {State.ToString().ToLowerInvariant()} by {ResolvedBy}.");
        }
    }
}

/// <summary>One side of a conflict: the agent, its task and branch when it has them, and what it changed there.</summary>
public sealed record ConflictSide(Guid AgentId, string AgentName, Guid? TaskId, string? TaskTitle, string? Branch);
