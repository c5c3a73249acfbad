using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Issues;

/// <summary>An entry of an issue's history: a comment, or a change of its fields (what changed, by whom).</summary>
public sealed class IssueComment
{
    private IssueComment()
    {
    }

    internal IssueComment(Guid issueId, Guid? authorAgentId, string author, IssueEntryKind kind, string body, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        IssueId = issueId;
        AuthorAgentId = authorAgentId;
        Author = author;
        Kind = kind;
        Body = body;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid IssueId { get; private set; }

    public Guid? AuthorAgentId { get; private set; }

    /// <summary>The author's name when written (an agent, or "human").</summary>
    public string Author { get; private set; } = "";

    public IssueEntryKind Kind { get; private set; }

    public string Body { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<IssueEntryKind>))]
public enum IssueEntryKind
{
    Comment = 0,
    Change = 1,
}
