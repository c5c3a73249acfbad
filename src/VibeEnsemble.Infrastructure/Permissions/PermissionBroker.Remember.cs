using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Permissions;

namespace VibeEnsemble.Infrastructure.Permissions;

/// <summary>"Approve and remember": the rules a decision leaves behind so the same call is not asked about again.</summary>
public sealed partial class PermissionBroker
{
    /// <summary>
    /// Rules for exactly this call: the tool, and its path or URL as approved, or each simple command of a Bash call
    /// (a compound command is judged part by part, so it is remembered part by part).
    /// </summary>
    private async Task<IReadOnlyList<PermissionRuleRequest>> RememberedRulesAsync(
        PermissionRequestSnapshot request, PermissionDecision decision, string? edited, CancellationToken cancellationToken)
    {
        using var input = JsonDocument.Parse(edited ?? request.Input);
        var kind = CallArgument.KindOf(request.ToolName);
        IReadOnlyList<string?> arguments = kind switch
        {
            ArgumentKind.Command => [.. BashCommand.Split(CallArgument.Command(input.RootElement)).Select(p => p.Text).Distinct().Take(10)],
            ArgumentKind.Url => [CallArgument.Url(input.RootElement)],
            ArgumentKind.Path => [CallArgument.Path(request.ToolName, input.RootElement, null)],
            _ => [null],
        };
        if (kind != ArgumentKind.None && arguments.Any(a => string.IsNullOrEmpty(a) || a.Length > PermissionRule.MaxPatternLength))
        {
            throw new DomainException("This call cannot be remembered as a rule (its command, path or URL is missing, relative or too long); decide it without 'remember'.");
        }

        var (scope, scopeName) = await RememberScopeAsync(request, decision.RememberScope, cancellationToken);
        return [.. arguments.Select(argument => new PermissionRuleRequest(scope, scopeName, 0, request.ToolName, argument,
            decision.Approve ? "allow" : "deny", $"Remembered from request {request.Id}."))];
    }

    private async Task<(string Scope, string? Name)> RememberScopeAsync(
        PermissionRequestSnapshot request, string? wanted, CancellationToken cancellationToken)
    {
        var scope = string.IsNullOrWhiteSpace(wanted) ? "project" : wanted.Trim().ToLowerInvariant();
        if (scope == "server")
        {
            return ("server", null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = request.TaskId is { } taskId
            ? await (from task in db.Tasks
                     where task.Id == taskId
                     join project in db.Projects on task.ProjectId equals project.Id into projects
                     from project in projects.DefaultIfEmpty()
                     join worker in db.Workers on request.WorkerId equals worker.Id into workers
                     from worker in workers.DefaultIfEmpty()
                     select new { Project = project == null ? null : project.Name, Profile = worker == null ? null : worker.ProfileName })
                .SingleOrDefaultAsync(cancellationToken)
            : null;
        return scope switch
        {
            "project" when names?.Project is { } project => ("project", project),
            "profile" when names?.Profile is { } profile => ("profile", profile),
            "project" or "profile" => ("server", null),
            _ => throw new DomainException("'rememberScope' must be server, project or profile."),
        };
    }
}
