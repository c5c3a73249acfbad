using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Permissions;
using VibeEnsemble.Infrastructure.Tasks;

namespace VibeEnsemble.Web.Api;

/// <summary>
/// Permission requests and rules over HTTP, for scripts and CI: the same services as the MCP tools, <c>vibe/*</c>
/// and the dashboard. Refusals are ProblemDetails naming the field; an unknown id is 404.
/// </summary>
internal static class PermissionApiEndpoints
{
    /// <summary>Who an HTTP decision or rule change is recorded as.</summary>
    public const string ApiActor = "api";

    public static RouteGroupBuilder MapPermissionApi(this RouteGroupBuilder api)
    {
        api.MapGet("/permissions/requests", (PermissionBroker broker, string? state, string? taskId, int? limit, CancellationToken cancellationToken) =>
            broker.ListAsync(PermissionIds.ParseState(state), taskId is null ? null : TaskIds.Parse(taskId), limit, cancellationToken));
        api.MapGet("/permissions/requests/{requestId}", (PermissionBroker broker, string requestId, CancellationToken cancellationToken) =>
            broker.GetAsync(PermissionIds.Parse(requestId), cancellationToken));
        api.MapPost("/permissions/requests/{requestId}/decision",
            (PermissionBroker broker, string requestId, PermissionDecision? decision, CancellationToken cancellationToken) =>
                broker.DecideAsync(PermissionIds.Parse(requestId),
                    decision ?? throw new DomainException("A JSON body with 'approve' (true or false) is required."), ApiActor, cancellationToken));

        api.MapGet("/permissions/rules", (PermissionRuleService rules, CancellationToken cancellationToken) => rules.ListAsync(cancellationToken));
        api.MapPost("/permissions/rules", async (PermissionRuleService rules, PermissionRuleRequest? request, CancellationToken cancellationToken) =>
        {
            var saved = await rules.SaveAsync(null, request ?? throw new DomainException(RuleBody), ApiActor, cancellationToken);
            return TypedResults.Created($"/api/permissions/rules/{saved.Id}", saved);
        });
        api.MapPut("/permissions/rules/{ruleId:guid}", (PermissionRuleService rules, Guid ruleId, PermissionRuleRequest? request, CancellationToken cancellationToken) =>
            rules.SaveAsync(ruleId, request ?? throw new DomainException(RuleBody), ApiActor, cancellationToken));
        api.MapDelete("/permissions/rules/{ruleId:guid}", async (PermissionRuleService rules, Guid ruleId, CancellationToken cancellationToken) =>
        {
            await rules.DeleteAsync(ruleId, cancellationToken);
            return TypedResults.NoContent();
        });
        return api;
    }

    private const string RuleBody = "A JSON body with 'toolPattern' and 'action' (allow, deny or ask) is required; 'scope', 'scopeName', 'position', 'argumentPattern' and 'note' are optional.";
}
