using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Knowledge;

/// <summary>Something an agent learned and shared: a pattern, a convention, a pitfall.</summary>
public sealed class KnowledgeEntry
{
    private readonly List<KnowledgeRelation> _relations = [];

    private KnowledgeEntry()
    {
    }

    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    public string Body { get; private set; } = "";

    public IReadOnlyList<string> Tags { get; private set; } = [];

    public string Category { get; private set; } = "";

    public Guid? AuthorAgentId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyCollection<KnowledgeRelation> Relations => _relations;

    public static KnowledgeEntry Create(
        string title, string body, IEnumerable<string>? tags, string? category, Guid? authorAgentId, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(now),
            Title = Guard.Required(title, "title", 200),
            Body = Guard.Required(body, "body", 100_000),
            Tags = Guard.Labels(tags, "tags"),
            Category = Guard.Optional(category, "category", 100) ?? "general",
            AuthorAgentId = authorAgentId,
            CreatedAt = now,
            UpdatedAt = now,
        };

    public void RelateTo(Guid otherEntryId, string kind)
    {
        var normalized = Guard.Required(kind, "kind", 50);
        if (otherEntryId == Id)
        {
            throw new DomainException("An entry cannot relate to itself.");
        }

        if (!_relations.Any(r => r.ToEntryId == otherEntryId && r.Kind == normalized))
        {
            _relations.Add(new KnowledgeRelation(Id, otherEntryId, normalized));
        }
    }
}
