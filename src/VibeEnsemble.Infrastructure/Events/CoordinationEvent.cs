namespace VibeEnsemble.Infrastructure.Events;

/// <summary>Something that happened in the coordination state, pushed to live views and connected agents.</summary>
public abstract record CoordinationEvent(DateTimeOffset At)
{
    /// <summary>Exactly one flag: the kind subscribers filter on.</summary>
    public abstract EventKinds Kind { get; }

    /// <summary>
    /// The connections the event is for, when it is for particular ones (a message to its recipients' sessions):
    /// a subscription bound to a connection then gets it only if its connection is listed, so a message costs one
    /// delivery per recipient instead of one per open connection. Null: every subscriber of the kind.
    /// </summary>
    public virtual IReadOnlySet<string>? Audience => null;
}
