using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Knowledge;
using VibeEnsemble.Infrastructure.Transports.JsonRpc;

namespace VibeEnsemble.Web.Rpc;

/// <summary><c>vibe/knowledge/*</c>: the twins of the MCP knowledge tools, over the same service.</summary>
internal static class VibeRpcKnowledgeMethods
{
    public static JsonRpcMethods<VibeRpcConnection> AddKnowledgeMethods(
        this JsonRpcMethods<VibeRpcConnection> methods, KnowledgeService knowledge, AgentService agents) => methods
        .Add<AddKnowledgeRequest, KnowledgeSnapshot>("vibe/knowledge/add",
            (request, connection, cancellationToken) => knowledge.AddAsync(
                request ?? throw new DomainException("'title' is required."), agents.OptionalCaller(connection.Agent), cancellationToken))
        .Add<SearchKnowledgeRequest, IReadOnlyList<KnowledgeHit>>("vibe/knowledge/search",
            (request, _, cancellationToken) => knowledge.SearchAsync(request ?? new SearchKnowledgeRequest(), cancellationToken))
        .Add<KnowledgeIdRequest, KnowledgeDetails>("vibe/knowledge/get",
            (request, _, cancellationToken) => knowledge.GetAsync(KnowledgeInputs.ParseId(request?.EntryId), cancellationToken))
        .Add<UpdateKnowledgeRequest, KnowledgeSnapshot>("vibe/knowledge/update",
            (request, connection, cancellationToken) => knowledge.UpdateAsync(
                request ?? new UpdateKnowledgeRequest(null), agents.OptionalCaller(connection.Agent), cancellationToken))
        .Add<RelateKnowledgeRequest, KnowledgeSnapshot>("vibe/knowledge/relate",
            (request, _, cancellationToken) => knowledge.RelateAsync(KnowledgeInputs.ParseId(request?.EntryId),
                KnowledgeInputs.ParseId(request?.ToEntryId, "toEntryId"), KnowledgeInputs.ParseRelation(request?.Kind), cancellationToken))
        .Add<VoteKnowledgeRequest, KnowledgeSnapshot>("vibe/knowledge/vote",
            (request, connection, cancellationToken) => knowledge.VoteAsync(KnowledgeInputs.ParseId(request?.EntryId),
                request?.Useful ?? throw new DomainException("'useful' is required: true or false."), agents.OptionalCaller(connection.Agent),
                cancellationToken));
}

internal sealed record KnowledgeIdRequest(string? EntryId);

internal sealed record RelateKnowledgeRequest(string? EntryId, string? ToEntryId, string? Kind);

internal sealed record VoteKnowledgeRequest(string? EntryId, bool? Useful);
