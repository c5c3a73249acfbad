namespace VibeEnsemble.Domain.Tasks;

/// <summary>One try at a task, by an agent or a spawned worker.</summary>
public sealed class TaskAttempt
{
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

    public Guid Id { get; private set; }

    public Guid TaskId { get; private set; }

    public int Number { get; private set; }

    public Guid? AgentId { get; private set; }

    public Guid? WorkerId { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public AttemptOutcome Outcome { get; private set; }

    public string? Error { get; private set; }
}
