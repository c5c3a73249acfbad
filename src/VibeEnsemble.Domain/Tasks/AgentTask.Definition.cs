using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Tasks;

/// <summary>What a task is and what it waits for; its lifecycle is in <c>AgentTask.cs</c>.</summary>
public sealed partial class AgentTask
{
    public const int MaxPaths = 100;

    /// <summary>
    /// The paths or globs (project-relative) the task expects to change: two tasks whose paths overlap do not run at the
    /// same time.
    /// </summary>
    public IReadOnlyList<string> Paths { get; private set; } = [];

    /// <summary>
    /// Changes what the task is, while no attempt is under way and it has not completed. Null leaves a field as it
    /// is; everything is checked before anything changes.
    /// </summary>
    public void Edit(
        string? title, string? description, IEnumerable<string>? requiredCapabilities, Priority? priority, int? maxAttempts,
        DateTimeOffset now)
    {
        RequireEditable();
        var newTitle = title is null ? Title : Guard.Required(title, "title", TitleMaxLength);
        var newDescription = description is null ? Description : Guard.Optional(description, "description", DescriptionMaxLength) ?? "";
        var newCapabilities = requiredCapabilities is null ? RequiredCapabilities : Guard.Labels(requiredCapabilities, "requiredCapabilities");
        if (maxAttempts is < 1 or > 100 || maxAttempts < _attempts.Count)
        {
            throw new DomainException($"'maxAttempts' must be between {Math.Max(1, _attempts.Count)} and 100 (attempts used: {_attempts.Count}).");
        }

        Title = newTitle;
        Description = newDescription;
        RequiredCapabilities = newCapabilities;
        Priority = priority ?? Priority;
        MaxAttempts = maxAttempts ?? MaxAttempts;
        UpdatedAt = now;
    }

    /// <summary>Makes the task wait for exactly <paramref name="taskIds"/> (cycles are the caller's to refuse).</summary>
    public void SetDependencies(IReadOnlyCollection<Guid> taskIds, DateTimeOffset now)
    {
        RequireEditable();
        foreach (var id in taskIds)
        {
            DependOn(id);
        }

        _dependencies.RemoveAll(d => !taskIds.Contains(d.DependsOnTaskId));
        UpdatedAt = now;
    }

    /// <summary>Records that this task waits for <paramref name="otherTaskId"/>.</summary>
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

    /// <summary>Holds a task that has not started back until the named tasks complete.</summary>
    public void Block(IReadOnlyCollection<string> unfinishedTitles, DateTimeOffset now)
    {
        Require("block", AgentTaskStatus.Ready, AgentTaskStatus.Blocked);
        if (unfinishedTitles.Count == 0)
        {
            throw new DomainException($"Task '{Title}' has nothing to wait for.");
        }

        Status = AgentTaskStatus.Blocked;
        WaitingReason = unfinishedTitles.Count == 1
            ? $"blocked by task '{unfinishedTitles.First()}'"
            : $"blocked by {unfinishedTitles.Count} tasks: {string.Join(", ", unfinishedTitles.Take(5).Select(t => $"'{t}'"))}";
        UpdatedAt = now;
    }

    /// <summary>The last dependency has completed.</summary>
    public void Unblock(DateTimeOffset now)
    {
        Require("unblock", AgentTaskStatus.Blocked);
        Status = AgentTaskStatus.Ready;
        WaitingReason = null;
        UpdatedAt = now;
    }

    private void RequireEditable()
    {
        if (Status is AgentTaskStatus.Assigned or AgentTaskStatus.Running or AgentTaskStatus.Completed)
        {
            throw new DomainException($"Task '{Title}' is {Status}; a task can be changed only while no attempt is under way and before it completes.");
        }
    }
}
