using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Issues;
using VibeEnsemble.Infrastructure.Transports.JsonRpc;

namespace VibeEnsemble.Web.Rpc;

/// <summary><c>vibe/issue/*</c>: the twins of the MCP issue tools, over the same service.</summary>
internal static class VibeRpcIssueMethods
{
    public static JsonRpcMethods<VibeRpcConnection> AddIssueMethods(
        this JsonRpcMethods<VibeRpcConnection> methods, IssueService issues, AgentService agents) => methods
        .Add<CreateIssueRequest, IssueSnapshot>("vibe/issue/create",
            (request, connection, cancellationToken) => issues.CreateAsync(
                request ?? throw new DomainException("'title' is required."), agents.OptionalCaller(connection.Agent), cancellationToken))
        .Add<ListIssuesRequest, IReadOnlyList<IssueSnapshot>>("vibe/issue/list",
            (request, _, cancellationToken) => issues.ListAsync(
                IssueInputs.ParseState(request?.State), request?.Label, request?.Assignee, request?.Limit, cancellationToken))
        .Add<IssueIdRequest, IssueDetails>("vibe/issue/get",
            (request, _, cancellationToken) => issues.GetAsync(IssueInputs.ParseId(request?.IssueId), cancellationToken))
        .Add<UpdateIssueRequest, IssueSnapshot>("vibe/issue/update",
            (request, connection, cancellationToken) => issues.UpdateAsync(
                request ?? throw new DomainException("'issueId' is required."), agents.OptionalCaller(connection.Agent), cancellationToken))
        .Add<CommentIssueRequest, IssueSnapshot>("vibe/issue/comment",
            (request, connection, cancellationToken) => issues.CommentAsync(
                IssueInputs.ParseId(request?.IssueId), request?.Body, agents.OptionalCaller(connection.Agent), cancellationToken))
        .Add<CloseIssueRequest, IssueSnapshot>("vibe/issue/close",
            (request, connection, cancellationToken) => issues.CloseAsync(
                IssueInputs.ParseId(request?.IssueId), request?.Reason, agents.OptionalCaller(connection.Agent), cancellationToken));
}

internal sealed record ListIssuesRequest(string? State = null, string? Label = null, string? Assignee = null, int? Limit = null);

internal sealed record IssueIdRequest(string? IssueId);

internal sealed record CommentIssueRequest(string? IssueId, string? Body);

internal sealed record CloseIssueRequest(string? IssueId, string? Reason = null);
