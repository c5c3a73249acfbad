using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Issues;

namespace VibeEnsemble.Web.Api;

/// <summary>Issues over HTTP, as the person: list, read with history, open, change, comment, close.</summary>
internal static class IssueApiEndpoints
{
    public static RouteGroupBuilder MapIssueApi(this RouteGroupBuilder api)
    {
        api.MapGet("/issues", (IssueService issues, string? state, string? label, string? assignee, int? limit, CancellationToken cancellationToken) =>
            issues.ListAsync(IssueInputs.ParseState(state), label, assignee, limit, cancellationToken));
        api.MapGet("/issues/{issueId}", (IssueService issues, string issueId, CancellationToken cancellationToken) =>
            issues.GetAsync(IssueInputs.ParseId(issueId), cancellationToken));
        api.MapPost("/issues", async (IssueService issues, CreateIssueRequest? request, CancellationToken cancellationToken) =>
        {
            var created = await issues.CreateAsync(request ?? throw new DomainException("A JSON body with 'title' is required."), reporter: null, cancellationToken);
            return TypedResults.Created($"/api/issues/{created.Id}", created);
        });
        api.MapPatch("/issues/{issueId}", (IssueService issues, string issueId, UpdateIssueRequest? request, CancellationToken cancellationToken) =>
            issues.UpdateAsync((request ?? new UpdateIssueRequest(issueId)) with { IssueId = issueId }, by: null, cancellationToken));
        api.MapPost("/issues/{issueId}/comments", (IssueService issues, string issueId, CommentBody? comment, CancellationToken cancellationToken) =>
            issues.CommentAsync(IssueInputs.ParseId(issueId), comment?.Body, by: null, cancellationToken));
        return api;
    }

    internal sealed record CommentBody(string? Body);
}
