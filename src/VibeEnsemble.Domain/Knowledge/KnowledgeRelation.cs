namespace VibeEnsemble.Domain.Knowledge;

/// <summary>A typed link from one knowledge entry to another, e.g. "supersedes".</summary>
public sealed class KnowledgeRelation
{
    private KnowledgeRelation()
    {
    }

    internal KnowledgeRelation(Guid fromEntryId, Guid toEntryId, KnowledgeRelationKind kind)
    {
        FromEntryId = fromEntryId;
        ToEntryId = toEntryId;
        Kind = kind;
    }

    public Guid FromEntryId { get; private set; }

    public Guid ToEntryId { get; private set; }

    public KnowledgeRelationKind Kind { get; private set; }
}

/// <summary>The text an entry had before an edit; editing never loses what was written.</summary>
public sealed class KnowledgeVersion
{
    private KnowledgeVersion()
    {
    }

    internal KnowledgeVersion(KnowledgeEntry entry, string editedBy, DateTimeOffset editedAt)
    {
        Id = Guid.CreateVersion7(editedAt);
        EntryId = entry.Id;
        Number = entry.Version;
        Title = entry.Title;
        Body = entry.Body;
        Tags = entry.Tags;
        Category = entry.Category;
        EditedBy = editedBy;
        EditedAt = editedAt;
    }

    public Guid Id { get; private set; }

    public Guid EntryId { get; private set; }

    /// <summary>The version this text was (1 is the first).</summary>
    public int Number { get; private set; }

    public string Title { get; private set; } = "";

    public string Body { get; private set; } = "";

    public IReadOnlyList<string> Tags { get; private set; } = [];

    public KnowledgeCategory Category { get; private set; }

    /// <summary>Who replaced this text.</summary>
    public string EditedBy { get; private set; } = "";

    public DateTimeOffset EditedAt { get; private set; }
}

/// <summary>One voter's verdict on an entry; voting again changes it.</summary>
public sealed class KnowledgeVote
{
    private KnowledgeVote()
    {
    }

    internal KnowledgeVote(Guid entryId, string voter, bool useful, DateTimeOffset at)
    {
        EntryId = entryId;
        Voter = voter;
        Useful = useful;
        At = at;
    }

    public Guid EntryId { get; private set; }

    /// <summary>The agent's name, or "human".</summary>
    public string Voter { get; private set; } = "";

    public bool Useful { get; internal set; }

    public DateTimeOffset At { get; internal set; }
}
