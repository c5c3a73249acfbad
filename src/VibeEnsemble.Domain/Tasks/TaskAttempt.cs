namespace VibeEnsemble.Domain.Tasks;

/// <summary>
/// One try at a task, by an agent or a spawned worker. Its id is the fencing token: progress and results are
/// accepted only from the attempt that is current.
/// </summary>
public sealed class TaskAttempt
{
    public const int ReasonMaxLength = 4_000;

    private TaskAttempt()
    {
    }

    internal TaskAttempt(Guid taskId, int number, Guid? agentId, Guid? workerId, DateTimeOffset startedAt)
    {
        Id = Guid.CreateVersion7(startedAt);
        TaskId = taskId;
        Number = number;
        AgentId = agentId;
        WorkerId = workerId;
        StartedAt = startedAt;
        Outcome = AttemptOutcome.Running;
    }

    /// <summary>Rebuilds an attempt exactly as it was stored.</summary>
    public static TaskAttempt Restore(
        Guid id, Guid taskId, int number, Guid? agentId, Guid? workerId, DateTimeOffset startedAt, DateTimeOffset? endedAt,
        AttemptOutcome outcome, string? reason) => new()
        {
            Id = id,
            TaskId = taskId,
            Number = number,
            AgentId = agentId,
            WorkerId = workerId,
            StartedAt = startedAt,
            EndedAt = endedAt,
            Outcome = outcome,
            Reason = reason,
        };

    public Guid Id { get; private set; }

    public Guid TaskId { get; private set; }

    public int Number { get; private set; }

    public Guid? AgentId { get; private set; }

    public Guid? WorkerId { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public AttemptOutcome Outcome { get; private set; }

    /// <summary>Why it ended as it did, in words a person can act on; null while running or after success.</summary>
    public string? Reason { get; private set; }

    public bool IsOver => Outcome != AttemptOutcome.Running;

    internal void End(AttemptOutcome outcome, string? reason, DateTimeOffset now)
    {
        Outcome = outcome;
        Reason = reason is null ? null : reason.Length <= ReasonMaxLength ? reason : reason[..ReasonMaxLength];
        EndedAt = now;
    }
}
