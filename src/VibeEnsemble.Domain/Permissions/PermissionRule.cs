using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Permissions;

/// <summary>
/// One line of the permission policy: for calls of the tools <see cref="ToolPattern"/> names whose argument that
/// matters (a Bash command, a file path, a URL) matches <see cref="ArgumentPattern"/>, do <see cref="Action"/>.
/// Pattern syntax is checked where the patterns are compiled (the policy); here only shape and bounds.
/// </summary>
public sealed class PermissionRule
{
    public const int MaxPatternLength = 500;

    private PermissionRule()
    {
    }

    public Guid Id { get; private set; }

    public PermissionScope Scope { get; private set; }

    /// <summary>The project's or profile's name for those scopes; null for server rules.</summary>
    public string? ScopeName { get; private set; }

    /// <summary>Order within the scope: lower first.</summary>
    public int Position { get; private set; }

    /// <summary>Tool names, comma-separated, each exact or a glob (<c>Bash</c>, <c>Edit, Write</c>, <c>mcp__*</c>).</summary>
    public string ToolPattern { get; private set; } = "";

    /// <summary>Null: any call of the tool. Else a command prefix or glob for Bash, a path glob for file tools, a URL glob for WebFetch.</summary>
    public string? ArgumentPattern { get; private set; }

    public PermissionAction Action { get; private set; }

    /// <summary>Why the rule exists; shown with every decision it makes.</summary>
    public string Note { get; private set; } = "";

    public string UpdatedBy { get; private set; } = "";

    public DateTimeOffset UpdatedAt { get; private set; }

    public static PermissionRule Create(PermissionRuleSettings settings, string updatedBy, DateTimeOffset now)
    {
        var rule = new PermissionRule { Id = Guid.CreateVersion7(now) };
        rule.Change(settings, updatedBy, now);
        return rule;
    }

    public void Change(PermissionRuleSettings settings, string updatedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!Enum.IsDefined(settings.Scope))
        {
            throw new DomainException("'scope' must be server, project or profile.");
        }

        if (!Enum.IsDefined(settings.Action))
        {
            throw new DomainException("'action' must be allow, deny or ask.");
        }

        var scopeName = Guard.Optional(settings.ScopeName, "scopeName", 100);
        if (settings.Scope != PermissionScope.Server && scopeName is null)
        {
            throw new DomainException($"'scopeName' is required for a {settings.Scope.ToString().ToLowerInvariant()} rule: the {settings.Scope.ToString().ToLowerInvariant()}'s name.");
        }

        if (settings.Position is < 0 or > 1_000_000)
        {
            throw new DomainException("'position' must be between 0 and 1000000.");
        }

        Scope = settings.Scope;
        ScopeName = settings.Scope == PermissionScope.Server ? null : scopeName;
        Position = settings.Position;
        ToolPattern = Guard.Required(settings.ToolPattern, "toolPattern", MaxPatternLength);
        ArgumentPattern = Guard.Optional(settings.ArgumentPattern, "argumentPattern", MaxPatternLength);
        Action = settings.Action;
        Note = Guard.Optional(settings.Note, "note", 500) ?? "";
        UpdatedBy = Guard.Required(updatedBy, "updatedBy", 200);
        UpdatedAt = now;
    }

    /// <summary>How the rule reads in a decision: <c>allow Bash(git status) [server #3]</c>.</summary>
    public string Describe() =>
        $"{Action.ToString().ToLowerInvariant()} {ToolPattern}{(ArgumentPattern is null ? "" : $"({ArgumentPattern})")} " +
        $"[{Scope.ToString().ToLowerInvariant()}{(ScopeName is null ? "" : $" {ScopeName}")} #{Position}]";
}

/// <summary>What a rule is, as callers write it.</summary>
public sealed record PermissionRuleSettings(
    PermissionScope Scope, string? ScopeName, int Position, string ToolPattern, string? ArgumentPattern,
    PermissionAction Action, string? Note = null);
