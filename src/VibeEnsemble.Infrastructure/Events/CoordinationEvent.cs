namespace VibeEnsemble.Infrastructure.Events;

/// <summary>Something that happened in the coordination state, pushed to live views and connected agents.</summary>
public abstract record CoordinationEvent(DateTimeOffset At);
