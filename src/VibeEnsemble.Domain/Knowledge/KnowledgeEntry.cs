using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Knowledge;

/// <summary>
/// Something an agent learned and shared: a pattern, a practice, a solution. Editing keeps the previous text as a
/// <see cref="KnowledgeVersion"/>; votes say whether others found it useful.
/// </summary>
public sealed class KnowledgeEntry
{
    public const int TitleMaxLength = 200;
    public const int BodyMaxLength = 100_000;
    public const int MaxRelations = 100;

    private readonly List<KnowledgeRelation> _relations = [];
    private readonly List<KnowledgeVersion> _versions = [];
    private readonly List<KnowledgeVote> _votes = [];

    private KnowledgeEntry()
    {
    }

    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    public string Body { get; private set; } = "";

    public IReadOnlyList<string> Tags { get; private set; } = [];

    public KnowledgeCategory Category { get; private set; }

    public Guid? AuthorAgentId { get; private set; }

    /// <summary>The author's name when it was written ("human" for a person).</summary>
    public string Author { get; private set; } = "";

    public Guid? ProjectId { get; private set; }

    /// <summary>1 when written, one more with each edit.</summary>
    public int Version { get; private set; }

    public int UsefulVotes { get; private set; }

    public int NotUsefulVotes { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyCollection<KnowledgeRelation> Relations => _relations;

    public IReadOnlyCollection<KnowledgeVersion> Versions => _versions;

    public IReadOnlyCollection<KnowledgeVote> Votes => _votes;

    /// <summary>A new entry; with no tags given, tags are drawn from the text (<see cref="KnowledgeTags"/>).</summary>
    public static KnowledgeEntry Create(
        string title, string body, IEnumerable<string>? tags, KnowledgeCategory category, Guid? authorAgentId, string author,
        Guid? projectId, DateTimeOffset now)
    {
        var entry = new KnowledgeEntry
        {
            Id = Guid.CreateVersion7(now),
            Title = Guard.Required(title, "title", TitleMaxLength),
            Body = Guard.Required(body, "body", BodyMaxLength),
            Category = Defined(category),
            AuthorAgentId = authorAgentId,
            Author = author,
            ProjectId = projectId,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        entry.Tags = TagsOrExtracted(tags, entry.Title, entry.Body);
        return entry;
    }

    /// <summary>Changes the entry; null leaves a field as it is. The text before is kept as a version.</summary>
    public void Edit(string? title, string? body, IEnumerable<string>? tags, KnowledgeCategory? category, string editedBy, DateTimeOffset now)
    {
        var newTitle = title is null ? Title : Guard.Required(title, "title", TitleMaxLength);
        var newBody = body is null ? Body : Guard.Required(body, "body", BodyMaxLength);
        var newTags = tags is null ? Tags : Guard.Labels(tags, "tags", KnowledgeTags.MaxTags, KnowledgeTags.MaxTagLength);
        var newCategory = category is { } c ? Defined(c) : Category;
        if (newTitle == Title && newBody == Body && newTags.SequenceEqual(Tags) && newCategory == Category)
        {
            return;
        }

        _versions.Add(new KnowledgeVersion(this, editedBy, now));
        Title = newTitle;
        Body = newBody;
        Tags = newTags;
        Category = newCategory;
        Version++;
        UpdatedAt = now;
    }

    public void RelateTo(Guid otherEntryId, KnowledgeRelationKind kind, DateTimeOffset now)
    {
        if (otherEntryId == Id)
        {
            throw new DomainException("An entry cannot relate to itself.");
        }

        if (_relations.Any(r => r.ToEntryId == otherEntryId && r.Kind == kind))
        {
            return;
        }

        if (_relations.Count >= MaxRelations)
        {
            throw new DomainException($"An entry has at most {MaxRelations} relations.");
        }

        _relations.Add(new KnowledgeRelation(Id, otherEntryId, Defined(kind)));
        UpdatedAt = now;
    }

    /// <summary>Records <paramref name="voter"/>'s verdict; a second vote by the same voter replaces the first.</summary>
    public void Vote(string voter, bool useful, DateTimeOffset now)
    {
        var existing = _votes.Find(v => v.Voter == voter);
        if (existing is null)
        {
            _votes.Add(new KnowledgeVote(Id, voter, useful, now));
        }
        else
        {
            existing.Useful = useful;
            existing.At = now;
        }

        UsefulVotes = _votes.Count(v => v.Useful);
        NotUsefulVotes = _votes.Count - UsefulVotes;
    }

    private static IReadOnlyList<string> TagsOrExtracted(IEnumerable<string>? tags, string title, string body)
    {
        var given = Guard.Labels(tags, "tags", KnowledgeTags.MaxTags, KnowledgeTags.MaxTagLength);
        return given.Length > 0 ? given : KnowledgeTags.Extract(title, body);
    }

    private static T Defined<T>(T value) where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new DomainException($"'{typeof(T).Name}' has no value {value}.");
}
