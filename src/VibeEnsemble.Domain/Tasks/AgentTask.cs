using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Tasks;

/// <summary>A unit of work the coordinator hands out to an agent or a spawned worker.</summary>
public sealed class AgentTask
{
    public const int DefaultMaxAttempts = 3;

    private readonly List<TaskDependency> _dependencies = [];
    private readonly List<TaskAttempt> _attempts = [];

    private AgentTask()
    {
    }

    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    public string Description { get; private set; } = "";

    public IReadOnlyList<string> RequiredCapabilities { get; private set; } = [];

    public Priority Priority { get; private set; }

    public AgentTaskStatus Status { get; private set; }

    public Guid? AssigneeAgentId { get; private set; }

    public Guid? CreatedByAgentId { get; private set; }

    public int MaxAttempts { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    public string? Result { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public IReadOnlyCollection<TaskDependency> Dependencies => _dependencies;

    public IReadOnlyCollection<TaskAttempt> Attempts => _attempts;

    public static AgentTask Create(
        string title, string? description, IEnumerable<string>? requiredCapabilities, Priority priority,
        Guid? createdByAgentId, DateTimeOffset now, int maxAttempts = DefaultMaxAttempts)
    {
        if (maxAttempts is < 1 or > 100)
        {
            throw new DomainException("'maxAttempts' must be between 1 and 100.");
        }

        return new AgentTask
        {
            Id = Guid.CreateVersion7(now),
            Title = Guard.Required(title, "title", 200),
            Description = Guard.Optional(description, "description", 20_000) ?? "",
            RequiredCapabilities = Guard.Labels(requiredCapabilities, "requiredCapabilities"),
            Priority = priority,
            Status = AgentTaskStatus.Pending,
            CreatedByAgentId = createdByAgentId,
            MaxAttempts = maxAttempts,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Hands the task to an agent (and the worker process running it, if any) for one more try.</summary>
    public TaskAttempt StartAttempt(Guid? agentId, Guid? workerId, DateTimeOffset now)
    {
        if (Status is AgentTaskStatus.Running or AgentTaskStatus.Completed or AgentTaskStatus.Cancelled)
        {
            throw new DomainException($"Task '{Title}' is {Status} and cannot start another attempt.");
        }

        if (_attempts.Count >= MaxAttempts)
        {
            throw new DomainException($"Task '{Title}' has used all {MaxAttempts} attempts.");
        }

        var attempt = new TaskAttempt(Id, _attempts.Count + 1, agentId, workerId, now);
        _attempts.Add(attempt);
        AssigneeAgentId = agentId;
        Status = AgentTaskStatus.Running;
        NextAttemptAt = null;
        UpdatedAt = now;
        return attempt;
    }

    public void DependOn(Guid otherTaskId)
    {
        if (otherTaskId == Id)
        {
            throw new DomainException("A task cannot depend on itself.");
        }

        if (_dependencies.All(d => d.DependsOnTaskId != otherTaskId))
        {
            _dependencies.Add(new TaskDependency(Id, otherTaskId));
        }
    }
}
