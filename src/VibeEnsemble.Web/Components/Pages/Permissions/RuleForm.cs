using VibeEnsemble.Infrastructure.Permissions;

namespace VibeEnsemble.Web.Components.Pages.Permissions;

/// <summary>What the rule editor holds; the policy checks it and its messages, naming the field, are shown as they are.</summary>
internal sealed class RuleForm
{
    public Guid? Id { get; init; }

    public string Scope { get; set; } = "server";

    public string? ScopeName { get; set; }

    public int? Position { get; set; }

    public string? ToolPattern { get; set; }

    public string? ArgumentPattern { get; set; }

    public string Action { get; set; } = "ask";

    public string? Note { get; set; }

    public static RuleForm From(PermissionRuleSnapshot rule) => new()
    {
        Id = rule.Id,
        Scope = rule.Scope.ToString().ToLowerInvariant(),
        ScopeName = rule.ScopeName,
        Position = rule.Position,
        ToolPattern = rule.ToolPattern,
        ArgumentPattern = rule.ArgumentPattern,
        Action = rule.Action.ToString().ToLowerInvariant(),
        Note = rule.Note,
    };

    public PermissionRuleRequest ToRequest() => new(Scope, ScopeName, Position, ToolPattern, ArgumentPattern, Action, Note);
}
