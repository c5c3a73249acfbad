using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Tasks;

/// <summary>A stored task's columns, as a store that does not go through EF Core reads them back.</summary>
public sealed record StoredTask(
    Guid Id,
    string Title,
    string Description,
    IReadOnlyList<string> RequiredCapabilities,
    Priority Priority,
    AgentTaskStatus Status,
    string? WaitingReason,
    Guid? ParentTaskId,
    Guid? ProjectId,
    TimeSpan? Timeout,
    TaskIsolation? Isolation,
    string? Branch,
    IReadOnlyList<string> ChangedFiles,
    Guid? AssigneeAgentId,
    Guid? CreatedByAgentId,
    int MaxAttempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LeaseExpiresAt,
    string? Progress,
    string? Result,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<string> Paths);

public sealed partial class AgentTask
{
    /// <summary>Rebuilds a task exactly as it was stored; no rule is applied, nothing is recorded.</summary>
    public static AgentTask Restore(StoredTask stored, IEnumerable<TaskAttempt> attempts, IEnumerable<Guid> dependsOn)
    {
        var task = new AgentTask
        {
            Id = stored.Id,
            Title = stored.Title,
            Description = stored.Description,
            RequiredCapabilities = stored.RequiredCapabilities,
            Priority = stored.Priority,
            Status = stored.Status,
            WaitingReason = stored.WaitingReason,
            ParentTaskId = stored.ParentTaskId,
            ProjectId = stored.ProjectId,
            Timeout = stored.Timeout,
            Isolation = stored.Isolation,
            Branch = stored.Branch,
            ChangedFiles = stored.ChangedFiles,
            Paths = stored.Paths,
            AssigneeAgentId = stored.AssigneeAgentId,
            CreatedByAgentId = stored.CreatedByAgentId,
            MaxAttempts = stored.MaxAttempts,
            NextAttemptAt = stored.NextAttemptAt,
            LeaseExpiresAt = stored.LeaseExpiresAt,
            Progress = stored.Progress,
            Result = stored.Result,
            CreatedAt = stored.CreatedAt,
            UpdatedAt = stored.UpdatedAt,
            CompletedAt = stored.CompletedAt,
        };
        task._attempts.AddRange(attempts);
        task._dependencies.AddRange(dependsOn.Select(id => new TaskDependency(stored.Id, id)));
        return task;
    }
}
