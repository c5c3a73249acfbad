using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>A new task. Dependencies name existing tasks; the task waits (Blocked) until they complete.</summary>
public sealed record CreateTaskRequest(
    string Title,
    string? Description = null,
    IReadOnlyList<string>? RequiredCapabilities = null,
    string? Priority = null,
    IReadOnlyList<Guid>? DependsOn = null,
    Guid? ParentTaskId = null,
    int? MaxAttempts = null,
    string? Project = null,
    int? TimeoutSeconds = null,
    string? Isolation = null,
    IReadOnlyList<string>? Paths = null)
{
    public const int MaxDependencies = 100;

    public Priority ParsePriority() =>
        string.IsNullOrWhiteSpace(Priority) ? Domain.Common.Priority.Normal
        : Enum.TryParse<Priority>(Priority, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : throw new DomainException($"Unknown priority '{Priority}'; use Low, Normal, High or Critical.");
}

/// <summary>Changes to a task that has not started; null leaves a field as it is, dependsOn replaces the list.</summary>
public sealed record UpdateTaskRequest(
    string? Title = null,
    string? Description = null,
    IReadOnlyList<string>? RequiredCapabilities = null,
    string? Priority = null,
    IReadOnlyList<Guid>? DependsOn = null,
    int? MaxAttempts = null)
{
    public Priority? ParsePriority() => string.IsNullOrWhiteSpace(Priority) ? null
        : new CreateTaskRequest("", Priority: Priority).ParsePriority();
}

/// <summary>Backoff between attempts: exponential with full jitter, so retries of many tasks spread out.</summary>
public sealed class TaskOptions
{
    public const string SectionName = "VibeEnsemble:Tasks";

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public double RetryFactor { get; set; } = 2;

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a connected agent may be offline before the task it holds is handed on, and how long an assigned
    /// task may wait to be started.
    /// </summary>
    public TimeSpan AgentLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Tasks pushed to one connected agent at a time (assigned or running). Default 1.</summary>
    public int MaxTasksPerAgent { get; set; } = 1;

    /// <summary>The longest <c>get_next_task</c> may wait for a task to become ready.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(55);

    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2 or more), before jitter.</summary>
    public TimeSpan Backoff(int nextAttempt)
    {
        var delay = RetryBaseDelay.TotalMilliseconds * Math.Pow(RetryFactor, Math.Max(0, nextAttempt - 2));
        return TimeSpan.FromMilliseconds(Math.Min(delay, RetryMaxDelay.TotalMilliseconds));
    }
}
