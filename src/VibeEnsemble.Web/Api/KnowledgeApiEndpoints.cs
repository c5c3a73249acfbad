using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Knowledge;

namespace VibeEnsemble.Web.Api;

/// <summary>The knowledge base over HTTP, as the person: search (or browse), facets, read, write, edit, relate, vote.</summary>
internal static class KnowledgeApiEndpoints
{
    public static RouteGroupBuilder MapKnowledgeApi(this RouteGroupBuilder api)
    {
        api.MapGet("/knowledge", (KnowledgeService knowledge, string? q, string? tag, string? category, string? project, string? author,
            int? limit, int? offset, CancellationToken cancellationToken) =>
            knowledge.SearchAsync(new SearchKnowledgeRequest(q, tag, category, project, author, limit, offset), cancellationToken));
        api.MapGet("/knowledge/facets", (KnowledgeService knowledge, CancellationToken cancellationToken) => knowledge.FacetsAsync(cancellationToken));
        api.MapGet("/knowledge/{entryId}", (KnowledgeService knowledge, string entryId, CancellationToken cancellationToken) =>
            knowledge.GetAsync(KnowledgeInputs.ParseId(entryId), cancellationToken));
        api.MapPost("/knowledge", async (KnowledgeService knowledge, AddKnowledgeRequest? request, CancellationToken cancellationToken) =>
        {
            var created = await knowledge.AddAsync(request ?? throw new DomainException("A JSON body with 'title' and 'body' is required."), author: null, cancellationToken);
            return TypedResults.Created($"/api/knowledge/{created.Id}", created);
        });
        api.MapPatch("/knowledge/{entryId}", (KnowledgeService knowledge, string entryId, UpdateKnowledgeRequest? request, CancellationToken cancellationToken) =>
            knowledge.UpdateAsync((request ?? new UpdateKnowledgeRequest(entryId)) with { EntryId = entryId }, editor: null, cancellationToken));
        api.MapPost("/knowledge/{entryId}/relations", (KnowledgeService knowledge, string entryId, RelationBody? body, CancellationToken cancellationToken) =>
            knowledge.RelateAsync(KnowledgeInputs.ParseId(entryId), KnowledgeInputs.ParseId(body?.ToEntryId, "toEntryId"),
                KnowledgeInputs.ParseRelation(body?.Kind), cancellationToken));
        api.MapPost("/knowledge/{entryId}/votes", (KnowledgeService knowledge, string entryId, VoteBody? body, CancellationToken cancellationToken) =>
            knowledge.VoteAsync(KnowledgeInputs.ParseId(entryId), body?.Useful ?? throw new DomainException("'useful' is required: true or false."),
                voter: null, cancellationToken));
        return api;
    }

    internal sealed record RelationBody(string? ToEntryId, string? Kind);

    internal sealed record VoteBody(bool? Useful);
}
