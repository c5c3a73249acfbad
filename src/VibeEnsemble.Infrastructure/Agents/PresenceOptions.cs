namespace VibeEnsemble.Infrastructure.Agents;

/// <summary>Bound from <c>VibeEnsemble:Presence</c>.</summary>
public sealed class PresenceOptions
{
    public const string SectionName = "VibeEnsemble:Presence";

    /// <summary>
    /// How often last-seen times and heartbeat counts go from memory to the database (and once more on shutdown).
    /// A crash loses at most this much of them; registrations and status changes are written at once.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);
}
