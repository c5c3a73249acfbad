using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Issues;

/// <summary>A problem agents track until it is resolved.</summary>
public sealed class Issue
{
    private readonly List<IssueComment> _comments = [];

    private Issue()
    {
    }

    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    public string Body { get; private set; } = "";

    public Priority Priority { get; private set; }

    public IssueState State { get; private set; }

    public Guid? AssigneeAgentId { get; private set; }

    public Guid? ReporterAgentId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyCollection<IssueComment> Comments => _comments;

    public static Issue Open(string title, string? body, Priority priority, Guid? reporterAgentId, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(now),
            Title = Guard.Required(title, "title", 200),
            Body = Guard.Optional(body, "body", 100_000) ?? "",
            Priority = priority,
            State = IssueState.Open,
            ReporterAgentId = reporterAgentId,
            CreatedAt = now,
            UpdatedAt = now,
        };

    public IssueComment Comment(Guid? authorAgentId, string body, DateTimeOffset now)
    {
        var comment = new IssueComment(Id, authorAgentId, Guard.Required(body, "body", 100_000), now);
        _comments.Add(comment);
        UpdatedAt = now;
        return comment;
    }
}
