using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>What callers see of a worker: tool results, <c>vibe/worker/*</c>, events and the Workers page.</summary>
public sealed record WorkerSnapshot(
    Guid Id, Guid? TaskId, Guid? AttemptId, Guid? AgentId, string ProfileName, WorkerState State, int? ProcessId,
    string WorkingDirectory, int? ExitCode, string? Summary, decimal? CostUsd, int? Turns,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? ExitedAt)
{
    /// <summary>Live only: set while a running worker has printed nothing for longer than the stall time.</summary>
    public bool Stalled { get; init; }

    public static System.Linq.Expressions.Expression<Func<Worker, WorkerSnapshot>> Projection { get; } = w => new WorkerSnapshot(
        w.Id, w.TaskId, w.AttemptId, w.AgentId, w.ProfileName, w.State, w.ProcessId, w.WorkingDirectory, w.ExitCode, w.Summary,
        w.CostUsd, w.Turns, w.CreatedAt, w.StartedAt, w.ExitedAt);

    private static readonly Func<Worker, WorkerSnapshot> s_from = Projection.Compile();

    public static WorkerSnapshot From(Worker worker) => s_from(worker);
}

/// <summary>One stored line of a worker's output, with the event parsed from it.</summary>
public sealed record WorkerOutputSnapshot(long Sequence, OutputStream Stream, string Kind, string Text, DateTimeOffset At);

/// <summary>A worker started, changed or ended; published after the change is durable.</summary>
public sealed record WorkerChanged(WorkerSnapshot Worker, DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.WorkerUpdated;
}

/// <summary>A worker printed a line (built only when someone subscribed to <see cref="EventKinds.WorkerOutput"/>).</summary>
public sealed record WorkerOutputAppended(Guid WorkerId, WorkerOutputSnapshot Line) : CoordinationEvent(Line.At)
{
    public override EventKinds Kind => EventKinds.WorkerOutput;
}
