namespace VibeEnsemble.Domain.Issues;

public sealed class IssueComment
{
    private IssueComment()
    {
    }

    internal IssueComment(Guid issueId, Guid? authorAgentId, string body, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        IssueId = issueId;
        AuthorAgentId = authorAgentId;
        Body = body;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid IssueId { get; private set; }

    public Guid? AuthorAgentId { get; private set; }

    public string Body { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
}
