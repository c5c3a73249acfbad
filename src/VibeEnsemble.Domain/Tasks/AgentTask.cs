using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Tasks;

/// <summary>
/// A unit of work the coordinator hands out to an agent or a spawned worker. Every change of status goes through
/// a method here that checks the move is allowed (<see cref="AgentTaskStatus"/> draws them); reports from an
/// attempt that is no longer current are refused with <see cref="StaleAttemptException"/>.
/// </summary>
public sealed partial class AgentTask
{
    public const int DefaultMaxAttempts = 3;
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 20_000;
    public const int ResultMaxLength = 100_000;
    public const int ProgressMaxLength = 2_000;

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

    /// <summary>Why the task is not moving, for people and models ("blocked by task 'Parser'"); null when it is.</summary>
    public string? WaitingReason { get; private set; }

    public Guid? ParentTaskId { get; private set; }

    /// <summary>The project the task is for: a spawned worker runs in its directory under its rules.</summary>
    public Guid? ProjectId { get; private set; }

    /// <summary>How long one attempt may run; null for the worker profile's timeout.</summary>
    public TimeSpan? Timeout { get; private set; }

    /// <summary>Where a spawned worker does it; null for the project's default.</summary>
    public TaskIsolation? Isolation { get; private set; }

    /// <summary>The git branch its work was committed to (worktree isolation), once an attempt has ended.</summary>
    public string? Branch { get; private set; }

    /// <summary>The files that branch changed, relative to the project's directory.</summary>
    public IReadOnlyList<string> ChangedFiles { get; private set; } = [];

    public Guid? AssigneeAgentId { get; private set; }

    public Guid? CreatedByAgentId { get; private set; }

    public int MaxAttempts { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>Until when an assigned agent may start the task before it is offered elsewhere.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    /// <summary>The latest progress note of the current attempt.</summary>
    public string? Progress { get; private set; }

    public string? Result { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public IReadOnlyCollection<TaskDependency> Dependencies => _dependencies;

    public IReadOnlyCollection<TaskAttempt> Attempts => _attempts;

    /// <summary>The attempt under way, if any: the latest one (by number: a loaded collection has no order).</summary>
    public TaskAttempt? CurrentAttempt => _attempts.MaxBy(a => a.Number) is { IsOver: false } latest ? latest : null;

    public bool IsFinished => Status is AgentTaskStatus.Completed or AgentTaskStatus.Failed or AgentTaskStatus.Cancelled;

    public static AgentTask Create(
        string title, string? description, IEnumerable<string>? requiredCapabilities, Priority priority,
        Guid? createdByAgentId, DateTimeOffset now, int maxAttempts = DefaultMaxAttempts, Guid? parentTaskId = null,
        Guid? projectId = null, TimeSpan? timeout = null, TaskIsolation? isolation = null, IReadOnlyList<string>? paths = null)
    {
        if (paths?.Count > MaxPaths)
        {
            throw new DomainException($"'paths' lists {paths.Count} entries; at most {MaxPaths} are allowed.");
        }

        if (maxAttempts is < 1 or > 100)
        {
            throw new DomainException("'maxAttempts' must be between 1 and 100.");
        }

        if (timeout is { } limit && (limit < TimeSpan.FromSeconds(1) || limit > TimeSpan.FromDays(1)))
        {
            throw new DomainException("'timeoutSeconds' must be between 1 and 86400.");
        }

        return new AgentTask
        {
            Id = Guid.CreateVersion7(now),
            Title = Guard.Required(title, "title", TitleMaxLength),
            Description = Guard.Optional(description, "description", DescriptionMaxLength) ?? "",
            RequiredCapabilities = Guard.Labels(requiredCapabilities, "requiredCapabilities"),
            Priority = priority,
            Status = AgentTaskStatus.Ready,
            ParentTaskId = parentTaskId,
            ProjectId = projectId,
            Timeout = timeout,
            Isolation = isolation,
            CreatedByAgentId = createdByAgentId,
            Paths = paths ?? [],
            MaxAttempts = maxAttempts,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Offers the task to an agent, which must start it before <paramref name="leaseExpiresAt"/>.</summary>
    public TaskAttempt Assign(Guid? agentId, Guid? workerId, DateTimeOffset leaseExpiresAt, DateTimeOffset now)
    {
        var attempt = BeginAttempt(agentId, workerId, now);
        Status = AgentTaskStatus.Assigned;
        LeaseExpiresAt = leaseExpiresAt;
        return attempt;
    }

    /// <summary>Hands the task to an agent or worker that starts at once (a pull, or a spawned process).</summary>
    public TaskAttempt Claim(Guid? agentId, Guid? workerId, DateTimeOffset now)
    {
        var attempt = BeginAttempt(agentId, workerId, now);
        Status = AgentTaskStatus.Running;
        return attempt;
    }

    /// <summary>The assigned agent has started its attempt.</summary>
    public void Start(Guid attemptId, DateTimeOffset now)
    {
        Current(attemptId);
        Require("start", AgentTaskStatus.Assigned);
        Status = AgentTaskStatus.Running;
        LeaseExpiresAt = null;
        UpdatedAt = now;
    }

    public void ReportProgress(Guid attemptId, string note, DateTimeOffset now)
    {
        Current(attemptId);
        if (Status == AgentTaskStatus.Assigned)
        {
            // Reporting progress is the clearest sign the agent has started.
            Start(attemptId, now);
        }

        Progress = Guard.Required(note, "progress", ProgressMaxLength);
        UpdatedAt = now;
    }

    public void Complete(Guid attemptId, string? result, DateTimeOffset now)
    {
        var attempt = Current(attemptId);
        Require("complete", AgentTaskStatus.Assigned, AgentTaskStatus.Running);
        attempt.End(AttemptOutcome.Succeeded, null, now);
        Result = Guard.Optional(result, "result", ResultMaxLength);
        Status = AgentTaskStatus.Completed;
        Settle(now);
        CompletedAt = now;
    }

    /// <summary>
    /// Ends the current attempt unsuccessfully. With attempts left and a retryable failure the task waits until
    /// <paramref name="retryAt"/>; otherwise it has failed for good.
    /// </summary>
    public void Fail(Guid attemptId, AttemptOutcome outcome, string reason, bool retryable, DateTimeOffset retryAt, DateTimeOffset now)
    {
        if (outcome is AttemptOutcome.Running or AttemptOutcome.Succeeded or AttemptOutcome.Cancelled)
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A failed attempt ends as Failed, TimedOut, Crashed or Interrupted.");
        }

        var attempt = Current(attemptId);
        Require("fail", AgentTaskStatus.Assigned, AgentTaskStatus.Running);
        var why = Guard.Required(reason, "reason", TaskAttempt.ReasonMaxLength);
        attempt.End(outcome, why, now);
        Settle(now);
        if (retryable && _attempts.Count < MaxAttempts)
        {
            Status = AgentTaskStatus.WaitingForRetry;
            NextAttemptAt = retryAt;
            WaitingReason = $"attempt {attempt.Number} of {MaxAttempts} {Describe(outcome)}: {why}; next attempt at {retryAt:u}";
        }
        else
        {
            Status = AgentTaskStatus.Failed;
            WaitingReason = retryable
                ? $"all {MaxAttempts} attempts failed; the last {Describe(outcome)}: {why}"
                : $"attempt {attempt.Number} {Describe(outcome)} and is not worth retrying: {why}";
        }
    }

    /// <summary>
    /// Says why a ready task is not handed out yet ("waiting for a worker slot (4/4 running)"); null when nothing
    /// holds it back. Returns whether anything changed, so an unchanged reason costs no write.
    /// </summary>
    public bool ExplainWait(string? reason, DateTimeOffset now)
    {
        Require("explain the wait of", AgentTaskStatus.Ready);
        var why = reason is null ? null : Guard.Required(reason, "reason", TaskAttempt.ReasonMaxLength);
        if (why == WaitingReason)
        {
            return false;
        }

        WaitingReason = why;
        UpdatedAt = now;
        return true;
    }

    /// <summary>Records what an attempt left behind: the branch it committed to and the files it changed.</summary>
    public void RecordArtifacts(string branch, IReadOnlyList<string> changedFiles, DateTimeOffset now)
    {
        Branch = Guard.Required(branch, "branch", 200);
        ChangedFiles = [.. changedFiles.Take(1_000)];
        UpdatedAt = now;
    }

    /// <summary>A task waiting for its retry time is ready again.</summary>
    public void RetryDue(DateTimeOffset now)
    {
        Require("release for its retry", AgentTaskStatus.WaitingForRetry);
        if (NextAttemptAt > now)
        {
            throw new DomainException($"Task '{Title}' is not due before {NextAttemptAt:u}.");
        }

        Status = AgentTaskStatus.Ready;
        NextAttemptAt = null;
        WaitingReason = null;
        UpdatedAt = now;
    }

    /// <summary>Puts a failed or cancelled task back in the queue now, with one more attempt if all were used.</summary>
    public void RetryNow(DateTimeOffset now)
    {
        Require("retry", AgentTaskStatus.Failed, AgentTaskStatus.Cancelled, AgentTaskStatus.WaitingForRetry);
        MaxAttempts = Math.Max(MaxAttempts, _attempts.Count + 1);
        Status = AgentTaskStatus.Ready;
        NextAttemptAt = null;
        WaitingReason = null;
        CompletedAt = null;
        UpdatedAt = now;
    }

    public void Cancel(string? reason, DateTimeOffset now)
    {
        if (IsFinished)
        {
            throw new DomainException($"Task '{Title}' is already {Status}; there is nothing to cancel.");
        }

        var why = Guard.Optional(reason, "reason", TaskAttempt.ReasonMaxLength) ?? "cancelled";
        CurrentAttempt?.End(AttemptOutcome.Cancelled, why, now);
        Settle(now);
        Status = AgentTaskStatus.Cancelled;
        WaitingReason = why;
        NextAttemptAt = null;
    }

    private TaskAttempt BeginAttempt(Guid? agentId, Guid? workerId, DateTimeOffset now)
    {
        Require("start an attempt at", AgentTaskStatus.Ready);
        if (_attempts.Count >= MaxAttempts)
        {
            throw new DomainException($"Task '{Title}' has used all {MaxAttempts} attempts.");
        }

        var attempt = new TaskAttempt(Id, _attempts.Count + 1, agentId, workerId, now);
        _attempts.Add(attempt);
        AssigneeAgentId = agentId;
        WaitingReason = null;
        Progress = null;
        UpdatedAt = now;
        return attempt;
    }

    /// <summary>The attempt a report comes from, if it is still the current one.</summary>
    private TaskAttempt Current(Guid attemptId)
    {
        var current = CurrentAttempt;
        if (current?.Id == attemptId)
        {
            return current;
        }

        throw new StaleAttemptException(Title, attemptId, current?.Number);
    }

    private void Settle(DateTimeOffset now)
    {
        LeaseExpiresAt = null;
        UpdatedAt = now;
    }

    private void Require(string verb, params AgentTaskStatus[] allowed)
    {
        if (Array.IndexOf(allowed, Status) < 0)
        {
            throw new DomainException($"Cannot {verb} task '{Title}' while it is {Status}.");
        }
    }

    private static string Describe(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.TimedOut => "timed out",
        AttemptOutcome.Crashed => "crashed",
        AttemptOutcome.Interrupted => "was interrupted",
        _ => "failed",
    };
}
