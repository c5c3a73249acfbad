using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Knowledge;
using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Infrastructure.Knowledge;

public sealed record KnowledgeSnapshot(
    Guid Id, string Title, string Body, KnowledgeCategory Category, IReadOnlyList<string> Tags, string Author, Guid? ProjectId,
    int Version, int UsefulVotes, int NotUsefulVotes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static KnowledgeSnapshot From(KnowledgeEntry k) => new(
        k.Id, k.Title, k.Body, k.Category, k.Tags, k.Author, k.ProjectId, k.Version, k.UsefulVotes, k.NotUsefulVotes, k.CreatedAt, k.UpdatedAt);
}

/// <summary>
/// One search result: the entry without its body, and a snippet of the best matching column with the matched words
/// between <c>**</c> marks.
/// </summary>
public sealed record KnowledgeHit(
    Guid Id, string Title, KnowledgeCategory Category, IReadOnlyList<string> Tags, string Author, string Snippet, int UsefulVotes,
    DateTimeOffset UpdatedAt);

public sealed record KnowledgeLink(KnowledgeRelationKind Kind, string Direction, Guid EntryId, string Title);

public sealed record KnowledgeVersionSnapshot(int Number, string Title, string Body, KnowledgeCategory Category, IReadOnlyList<string> Tags,
    string EditedBy, DateTimeOffset EditedAt);

/// <summary>An entry with what it relates to (both ways) and its earlier versions, newest first.</summary>
public sealed record KnowledgeDetails(KnowledgeSnapshot Entry, IReadOnlyList<KnowledgeLink> Relations, IReadOnlyList<KnowledgeVersionSnapshot> Versions);

/// <summary>How many entries each category and the most used tags hold, for browsing.</summary>
public sealed record KnowledgeFacets(IReadOnlyDictionary<string, int> Categories, IReadOnlyList<KeyValuePair<string, int>> Tags, int Total);

public sealed record AddKnowledgeRequest(
    string? Title, string? Body, string? Category = null, IReadOnlyList<string>? Tags = null, string? Project = null);

public sealed record UpdateKnowledgeRequest(
    string? EntryId, string? Title = null, string? Body = null, string? Category = null, IReadOnlyList<string>? Tags = null);

public sealed record SearchKnowledgeRequest(
    string? Query = null, string? Tag = null, string? Category = null, string? Project = null, string? Author = null, int? Limit = null,
    int? Offset = null);

/// <summary>An entry was written, edited, related or voted on.</summary>
public sealed record KnowledgeChanged(KnowledgeSnapshot Entry, DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.Knowledge;
}

/// <summary>Reads knowledge ids, categories and relation kinds as callers send them, with messages naming the field.</summary>
public static class KnowledgeInputs
{
    public const int MaxQueryLength = 500;

    public static Guid ParseId(string? value, string parameter = "entryId") =>
        Inputs.Id(value, parameter, "a knowledge entry id", "the entry's id as add_knowledge or search_knowledge returns it");

    public static KnowledgeCategory? ParseCategory(string? value) =>
        Inputs.Enum<KnowledgeCategory>(value, "category", "Pattern, Practice, Solution, Guideline, Reference or Decision");

    public static KnowledgeRelationKind ParseRelation(string? value) =>
        Inputs.Enum<KnowledgeRelationKind>(value?.Replace("-", "", StringComparison.Ordinal), "kind", "relates-to, supersedes, contradicts or derived-from")
            ?? throw new DomainException("'kind' is required: relates-to, supersedes, contradicts or derived-from.");
}
