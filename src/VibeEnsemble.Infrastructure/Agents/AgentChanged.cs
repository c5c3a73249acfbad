using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Infrastructure.Agents;

public enum AgentChange
{
    Registered,
    Reconnected,
    Heartbeat,
    Disconnected,

    /// <summary>Connected but silent for a while (<see cref="PresenceOptions.StaleAfter"/>).</summary>
    Stale,

    /// <summary>Joined or left a named message group.</summary>
    GroupsChanged,
}

/// <param name="ConnectionId">The connection that caused the change, so it can be left out of the fan-out.</param>
public sealed record AgentChanged(AgentSnapshot Agent, AgentChange Change, string? ConnectionId, DateTimeOffset At)
    : CoordinationEvent(At)
{
    public override EventKinds Kind => Change switch
    {
        AgentChange.Heartbeat => EventKinds.AgentHeartbeat,
        AgentChange.Disconnected or AgentChange.Stale => EventKinds.AgentOffline,
        _ => EventKinds.AgentRegistered,
    };
}
