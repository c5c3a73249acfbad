using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Infrastructure.Conflicts;

/// <summary>A conflict as the tools, the API, the dashboard and the event stream show it.</summary>
public sealed record ConflictSnapshot(
    Guid Id, string? Project, ConflictKind Kind, ConflictSeverity Severity, ConflictState State, IReadOnlyList<string> Files,
    string Detail, ConflictSide First, ConflictSide Second, DateTimeOffset DetectedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? EscalatedAt, ConflictOutcome? Outcome, string? Resolution, string? ResolvedBy, DateTimeOffset? ResolvedAt)
{
    public static ConflictSnapshot From(Conflict c, string? project) => new(
        c.Id, project, c.Kind, c.Severity, c.State, c.Files, c.Detail, c.First, c.Second, c.DetectedAt, c.UpdatedAt,
        c.EscalatedAt, c.Outcome, c.Resolution, c.ResolvedBy, c.ResolvedAt);
}

/// <summary>A conflict was "detected", "updated" (worse, or other files), "escalated" or "resolved".</summary>
public sealed record ConflictChanged(string Change, ConflictSnapshot Conflict, DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.Conflict;
}

/// <summary>What a scan looked at and what it found new.</summary>
public sealed record ConflictScanReport(int Worktrees, int Detected, int Updated, TimeSpan Took);

/// <summary>What <c>resolve_conflict</c> takes: the outcome (first-yields, second-yields, merge, dismiss) and why.</summary>
public sealed record ResolveConflictRequest(string? ConflictId, string? Outcome, string? Reason);

/// <summary>Conflict scans and escalation. Bound from <c>VibeEnsemble:Conflicts</c>.</summary>
public sealed class ConflictOptions
{
    public const string SectionName = "VibeEnsemble:Conflicts";

    /// <summary>How often running workers' worktrees are scanned (whole seconds, 1 s to 1 hour).</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a conflict stays open before it is escalated to the coordinator of its tasks.</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The scan's schedule as a cron expression with seconds (Hangfire's recurring jobs take cron).</summary>
    public string ScanCron()
    {
        var seconds = (int)ScanInterval.TotalSeconds;
        return seconds < 60 ? $"*/{seconds} * * * * *" : $"0 */{Math.Max(1, seconds / 60)} * * * *";
    }
}
