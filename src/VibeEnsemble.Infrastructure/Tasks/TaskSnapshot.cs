using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>What callers see of a task: tool results, <c>vibe/task/*</c> replies, events and the dashboard.</summary>
public sealed record TaskSnapshot(
    Guid Id,
    string Title,
    string Description,
    IReadOnlyList<string> RequiredCapabilities,
    Priority Priority,
    AgentTaskStatus Status,
    string? WaitingReason,
    Guid? ParentTaskId,
    Guid? ProjectId,
    IReadOnlyList<Guid> DependsOn,
    Guid? AssigneeAgentId,
    Guid? CreatedByAgentId,
    Guid? CurrentAttemptId,
    int AttemptsUsed,
    int MaxAttempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LeaseExpiresAt,
    string? Progress,
    string? Result,
    TaskIsolation? Isolation,
    string? Branch,
    IReadOnlyList<string> ChangedFiles,
    IReadOnlyList<string> Paths,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt)
{
    public static TaskSnapshot From(AgentTask task) => new(
        task.Id, task.Title, task.Description, task.RequiredCapabilities, task.Priority, task.Status,
        task.WaitingReason, task.ParentTaskId, task.ProjectId, [.. task.Dependencies.Select(d => d.DependsOnTaskId)],
        task.AssigneeAgentId, task.CreatedByAgentId, task.CurrentAttempt?.Id, task.Attempts.Count, task.MaxAttempts, task.NextAttemptAt,
        task.LeaseExpiresAt, task.Progress, task.Result, task.Isolation, task.Branch, task.ChangedFiles, task.Paths, task.CreatedAt, task.UpdatedAt, task.CompletedAt);
}

/// <summary>
/// A task with its attempts, the tasks it waits for, its sub-tasks (with their results), what its spawned workers
/// reported they cost and the knowledge entries most relevant to it, for <c>get_task</c>.
/// </summary>
public sealed record TaskDetails(
    TaskSnapshot Task, IReadOnlyList<AttemptSnapshot> Attempts, IReadOnlyList<TaskBrief> Children, IReadOnlyList<TaskBrief> WaitsFor,
    decimal? CostUsd, IReadOnlyList<Knowledge.KnowledgeHit> Knowledge);

public sealed record AttemptSnapshot(
    Guid Id, int Number, Guid? AgentId, Guid? WorkerId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
    AttemptOutcome Outcome, string? Reason)
{
    public static AttemptSnapshot From(TaskAttempt attempt) => new(
        attempt.Id, attempt.Number, attempt.AgentId, attempt.WorkerId, attempt.StartedAt, attempt.EndedAt,
        attempt.Outcome, attempt.Reason);
}

/// <summary>What <c>get_next_task</c> answers: the task now held, or why there is none.</summary>
public sealed record NextTaskResult(TaskSnapshot? Task, string? Message);
