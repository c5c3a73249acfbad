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

    /// <summary>
    /// A connected agent that sends no request and no heartbeat for this long is shown Stale, whatever its transport.
    /// </summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A stale agent that stays silent this long (counted from its last sign of life) goes offline, unless it holds
    /// a task: a session deep in a long task may call nothing for a while, and its task must not be handed on for
    /// that. Its connection, if any, is left alone; its next request or heartbeat brings it back.
    /// </summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(10);
}
