using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>A task was created or changed status, progress or result; published after the change is durable.</summary>
public sealed record TaskChanged(TaskSnapshot Task, DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.TaskUpdated;
}

/// <summary>
/// Every child of <see cref="Parent"/> has ended: its creator (<see cref="TaskSnapshot.CreatedByAgentId"/>) is told,
/// with the children's outcomes and results gathered.
/// </summary>
public sealed record ChildrenFinished(TaskSnapshot Parent, IReadOnlyList<TaskBrief> Children, DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.TaskUpdated;
}

/// <summary>A sub-task as its parent's details and roll-up show it.</summary>
public sealed record TaskBrief(Guid Id, string Title, Domain.Tasks.AgentTaskStatus Status, string? Result);

/// <summary>
/// A task has failed for good (its last attempt, or one not worth retrying): whoever coordinates is told, with the
/// reason. <c>list_tasks</c> with status Failed lists every such task.
/// </summary>
public sealed record TaskEscalated(TaskSnapshot Task, string Reason, DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.TaskUpdated;
}
