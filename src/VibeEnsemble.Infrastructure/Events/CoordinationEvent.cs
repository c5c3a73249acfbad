namespace VibeEnsemble.Infrastructure.Events;

/// <summary>Something that happened in the coordination state, pushed to live views and connected agents.</summary>
public abstract record CoordinationEvent(DateTimeOffset At)
{
    /// <summary>Exactly one flag: the kind subscribers filter on.</summary>
    public abstract EventKinds Kind { get; }
}
