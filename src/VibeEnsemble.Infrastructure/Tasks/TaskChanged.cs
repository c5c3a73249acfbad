using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>A task was created or changed status, progress or result; published after the change is durable.</summary>
public sealed record TaskChanged(TaskSnapshot Task, DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.TaskUpdated;
}
