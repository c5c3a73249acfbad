using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Issues;

/// <summary>
/// A problem agents track until it is resolved: title, markdown body, priority, labels, state, assignee, reporter, a
/// linked task, comments, and every change kept as an entry of its history.
/// </summary>
public sealed class Issue
{
    public const int MaxBodyChars = 100_000;

    private readonly List<IssueComment> _comments = [];

    private Issue()
    {
    }

    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    public string Body { get; private set; } = "";

    public Priority Priority { get; private set; }

    public IssueState State { get; private set; }

    public IReadOnlyList<string> Labels { get; private set; } = [];

    public Guid? AssigneeAgentId { get; private set; }

    public Guid? ReporterAgentId { get; private set; }

    /// <summary>The task the issue is about (a task that failed for good opens one).</summary>
    public Guid? TaskId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyCollection<IssueComment> Comments => _comments;

    public static Issue Open(string title, string? body, Priority priority, Guid? reporterAgentId, DateTimeOffset now,
        IEnumerable<string>? labels = null, Guid? assigneeAgentId = null, Guid? taskId = null)
    {
        if (!Enum.IsDefined(priority))
        {
            throw new DomainException("'priority' must be Low, Normal, High or Critical.");
        }

        return new Issue
        {
            Id = Guid.CreateVersion7(now),
            Title = Guard.Required(title, "title", 200),
            Body = Guard.Optional(body, "body", MaxBodyChars) ?? "",
            Priority = priority,
            State = IssueState.Open,
            Labels = Guard.Labels(labels, "labels", maxCount: 20, maxLength: 50),
            AssigneeAgentId = assigneeAgentId,
            ReporterAgentId = reporterAgentId,
            TaskId = taskId,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public IssueComment Comment(Guid? authorAgentId, string author, string body, DateTimeOffset now)
    {
        var comment = new IssueComment(Id, authorAgentId, author, IssueEntryKind.Comment, Guard.Required(body, "body", MaxBodyChars), now);
        _comments.Add(comment);
        UpdatedAt = now;
        return comment;
    }

    /// <summary>
    /// Applies the fields given (null: unchanged) and records what changed, by whom, as one history entry. Nothing
    /// recorded when nothing changed.
    /// </summary>
    public void Change(IssueChange change, Guid? byAgentId, string by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        var what = new List<string>();
        if (change.Title is { } title && (title = Guard.Required(title, "title", 200)) != Title)
        {
            what.Add($"title: '{Title}' → '{title}'");
            Title = title;
        }

        if (change.Body is { } body && body != Body)
        {
            Body = Guard.Optional(body, "body", MaxBodyChars) ?? "";
            what.Add("body edited");
        }

        if (change.Priority is { } priority && priority != Priority)
        {
            what.Add($"priority: {Priority} → {(Enum.IsDefined(priority) ? priority : throw new DomainException("'priority' must be Low, Normal, High or Critical."))}");
            Priority = priority;
        }

        if (change.State is { } state && state != State)
        {
            what.Add($"state: {State} → {(Enum.IsDefined(state) ? state : throw new DomainException("'state' must be Open, InProgress, Blocked, Resolved or Closed."))}");
            State = state;
        }

        if (change.Labels is { } labels)
        {
            var normalized = Guard.Labels(labels, "labels", maxCount: 20, maxLength: 50);
            if (!normalized.SequenceEqual(Labels, StringComparer.OrdinalIgnoreCase))
            {
                what.Add($"labels: [{string.Join(", ", Labels)}] → [{string.Join(", ", normalized)}]");
                Labels = normalized;
            }
        }

        if (change.AssigneeAgentId is { } assignee && assignee != AssigneeAgentId)
        {
            what.Add($"assignee: {change.AssigneeName ?? assignee.ToString()}");
            AssigneeAgentId = assignee;
        }

        if (what.Count > 0)
        {
            _comments.Add(new IssueComment(Id, byAgentId, by, IssueEntryKind.Change, string.Join("; ", what), now));
            UpdatedAt = now;
        }
    }
}

/// <summary>The fields of an issue a change sets; null leaves a field as it is.</summary>
public sealed record IssueChange(
    string? Title = null, string? Body = null, Priority? Priority = null, IssueState? State = null, IEnumerable<string>? Labels = null,
    Guid? AssigneeAgentId = null, string? AssigneeName = null);
