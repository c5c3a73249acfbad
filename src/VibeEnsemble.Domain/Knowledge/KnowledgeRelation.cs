namespace VibeEnsemble.Domain.Knowledge;

/// <summary>A typed link between two knowledge entries, e.g. "supersedes" or "relates-to".</summary>
public sealed class KnowledgeRelation
{
    private KnowledgeRelation()
    {
    }

    internal KnowledgeRelation(Guid fromEntryId, Guid toEntryId, string kind)
    {
        FromEntryId = fromEntryId;
        ToEntryId = toEntryId;
        Kind = kind;
    }

    public Guid FromEntryId { get; private set; }

    public Guid ToEntryId { get; private set; }

    public string Kind { get; private set; } = "";
}
