using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Conflicts;

[JsonConverter(typeof(JsonStringEnumConverter<ConflictState>))]
public enum ConflictState
{
    Open = 0,
    Resolved = 1,
    Dismissed = 2,
}

/// <summary>What was seen: the same files changed in two places, or a change to files another agent holds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConflictKind>))]
public enum ConflictKind
{
    /// <summary>Two agents changed the same files.</summary>
    Overlap = 0,

    /// <summary>An agent changed files another holds exclusively, without a reservation of its own.</summary>
    Violation = 1,

    /// <summary>An agent asked to reserve files another holds: refused, so averted, and kept as history.</summary>
    Reservation = 2,
}

/// <summary>
/// Low: the same file changed in two places. Medium: the same lines, or a file that conflicted before. High: a trial
/// merge of the two sides fails.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConflictSeverity>))]
public enum ConflictSeverity
{
    Low = 0,
    Medium = 1,
    High = 2,
}

/// <summary>How a person or the coordinator settled a conflict.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConflictOutcome>))]
public enum ConflictOutcome
{
    /// <summary>The first side yields: its reservations are released and its work waits until the other's is done.</summary>
    FirstYields = 0,

    /// <summary>The second side yields.</summary>
    SecondYields = 1,

    /// <summary>Both changes are kept and merged; the coordinator is given the branches and the commands.</summary>
    Merge = 2,

    /// <summary>Not a conflict after all.</summary>
    Dismissed = 3,

    /// <summary>Refused before anything collided (a reservation in the way); recorded for history and hot spots.</summary>
    Averted = 4,
}
