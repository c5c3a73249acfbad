using System.Collections.Concurrent;
using System.Text.Json;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Permissions;

namespace VibeEnsemble.Infrastructure.Permissions;

/// <summary>What the policy is asked about: one tool call, and where the caller works.</summary>
/// <param name="WorkingDirectory">The task's directory or worktree, resolved; null for a session with none.</param>
public sealed record PermissionQuery(
    string ToolName, JsonElement Input, string? WorkingDirectory = null, string? ProjectName = null, string? ProfileName = null);

/// <summary>The policy's answer, with the rule (as it reads) that decided it, or none when no rule matched.</summary>
public sealed record PolicyDecision(PermissionAction Action, string? Rule, string Explanation);

/// <summary>
/// The permission rules, compiled and ordered: a profile's rules first, then the project's, then the server's, each
/// scope by position; the first rule that matches decides and no match means ask. A Bash call is judged command by
/// command (<see cref="BashCommand"/>): any part denied denies the call, any part asked about or unmatched asks, and
/// only a call every part of which an allow rule covers is allowed. Immutable: rebuilt whenever a rule changes.
/// </summary>
public sealed class PermissionPolicy
{
    private readonly RuleList _server;
    private readonly Dictionary<string, RuleList> _projects;
    private readonly Dictionary<string, RuleList> _profiles;

    public PermissionPolicy(IEnumerable<PermissionRule> rules)
    {
        var compiled = rules.Select(r => new CompiledRule(r)).ToList();
        _server = new RuleList(Ordered(compiled.Where(r => r.Rule.Scope == PermissionScope.Server)));
        _projects = ByName(compiled, PermissionScope.Project);
        _profiles = ByName(compiled, PermissionScope.Profile);
        Count = compiled.Count;
    }

    public int Count { get; }

    public PolicyDecision Evaluate(PermissionQuery query)
    {
        var profiles = query.ProfileName is { } p ? _profiles.GetValueOrDefault(p) : null;
        var projects = query.ProjectName is { } n ? _projects.GetValueOrDefault(n) : null;
        var kind = CallArgument.KindOf(query.ToolName);
        if (kind == ArgumentKind.Command)
        {
            return EvaluateCommand(query, profiles, projects, _server);
        }

        var profile = profiles?.For(query.ToolName) ?? [];
        var project = projects?.For(query.ToolName) ?? [];
        var server = _server.For(query.ToolName);
        switch (kind)
        {
            case ArgumentKind.Path:
                var path = CallArgument.Path(query.ToolName, query.Input, query.WorkingDirectory);
                return Decide(First(profile, project, server, r => r.MatchesPath(path, query.WorkingDirectory)),
                    $"{query.ToolName} on {path ?? "a path that could not be resolved"}");
            case ArgumentKind.Url:
                var url = CallArgument.Url(query.Input);
                return Decide(First(profile, project, server, r => r.MatchesUrl(url)), $"{query.ToolName} {url}");
            default:
                return Decide(First(profile, project, server, r => !r.HasArgument), query.ToolName);
        }
    }

    private static PolicyDecision EvaluateCommand(
        PermissionQuery query, RuleList? profiles, RuleList? projects, RuleList server)
    {
        var parts = BashCommand.Split(CallArgument.Command(query.Input));
        if (parts.Count == 0)
        {
            parts = [new CommandPart("")];
        }

        PolicyDecision? asked = null;
        var allowedBy = new List<string>();
        foreach (var part in parts)
        {
            // Only the rules that can match this command's first word are tried, in their order.
            var rule = First(
                profiles?.ForCommand(query.ToolName, part.Text) ?? [],
                projects?.ForCommand(query.ToolName, part.Text) ?? [],
                server.ForCommand(query.ToolName, part.Text),
                r => r.MatchesCommand(part));
            var decision = Decide(rule, $"`{Inputs.Shorten(part.Text, 120)}`");
            switch (decision.Action)
            {
                case PermissionAction.Deny:
                    return parts.Count == 1 ? decision : decision with { Explanation = $"{decision.Explanation} (one command of {parts.Count})" };
                case PermissionAction.Ask:
                    asked ??= decision;
                    break;
                default:
                    allowedBy.Add(rule!.Description);
                    break;
            }
        }

        return asked ?? new PolicyDecision(PermissionAction.Allow, string.Join("; ", allowedBy.Distinct()),
            parts.Count == 1 ? "allowed by rule" : $"each of its {parts.Count} commands allowed by a rule");
    }

    /// <summary>The first rule, most specific scope first, that matches; the lists hold only rules for the call's tool.</summary>
    private static CompiledRule? First(CompiledRule[] profile, CompiledRule[] project, CompiledRule[] server, Func<CompiledRule, bool> matches)
    {
        foreach (var scope in (ReadOnlySpan<CompiledRule[]>)[profile, project, server])
        {
            foreach (var rule in scope)
            {
                if (matches(rule))
                {
                    return rule;
                }
            }
        }

        return null;
    }

    private static PolicyDecision Decide(CompiledRule? rule, string what) => rule is null
        ? new PolicyDecision(PermissionAction.Ask, null, $"no rule covers {what}")
        : new PolicyDecision(rule.Action, rule.Description, $"{what}: {rule.Action.ToString().ToLowerInvariant()} by rule {rule.Description}");

    private static CompiledRule[] Ordered(IEnumerable<CompiledRule> rules) =>
        [.. rules.OrderBy(r => r.Rule.Position).ThenBy(r => r.Rule.UpdatedAt)];

    private static Dictionary<string, RuleList> ByName(List<CompiledRule> rules, PermissionScope scope) =>
        rules.Where(r => r.Rule.Scope == scope).GroupBy(r => r.Rule.ScopeName!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => new RuleList(Ordered(g)), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// One scope's rules in order, and per tool name the ones that name it (exactly or by glob), worked out on the
    /// first call of that tool and kept: a decision then tries only the rules that can match. The cache is bounded
    /// because tool names come from callers.
    /// </summary>
    private sealed class RuleList(CompiledRule[] rules)
    {
        private const int MaxCachedTools = 1_000;
        private readonly ConcurrentDictionary<string, CompiledRule[]> _byTool = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, CommandRules> _commands = new(StringComparer.Ordinal);

        /// <summary>The rules for a command tool that can match a simple command, by its first word.</summary>
        public CompiledRule[] ForCommand(string tool, string command)
        {
            if (!_commands.TryGetValue(tool, out var byWord))
            {
                byWord = new CommandRules(For(tool));
                if (_commands.Count < MaxCachedTools)
                {
                    _commands.TryAdd(tool, byWord);
                }
            }

            return byWord.For(command);
        }

        public CompiledRule[] For(string tool)
        {
            if (_byTool.TryGetValue(tool, out var cached))
            {
                return cached;
            }

            CompiledRule[] matching = [.. rules.Where(r => r.MatchesTool(tool))];
            if (_byTool.Count < MaxCachedTools)
            {
                _byTool.TryAdd(tool, matching);
            }

            return matching;
        }
    }

    /// <summary>
    /// One tool's rules by the first word of the command they can match, worked out on the first command with that
    /// word and kept (bounded: words come from callers), in their order; rules without a fixed first word are in every
    /// list. A decision over a thousand rules then tries the few that name its commands.
    /// </summary>
    private sealed class CommandRules(CompiledRule[] rules)
    {
        private const int MaxCachedWords = 1_000;
        private readonly ConcurrentDictionary<string, CompiledRule[]> _byWord = new(StringComparer.Ordinal);

        public CompiledRule[] For(string command)
        {
            var word = CompiledRule.FirstWord(command);
            if (_byWord.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(word, out var cached))
            {
                return cached;
            }

            var key = word.ToString();
            CompiledRule[] matching = [.. rules.Where(r => r.CommandWord is null || r.CommandWord == key)];
            if (_byWord.Count < MaxCachedWords)
            {
                _byWord.TryAdd(key, matching);
            }

            return matching;
        }
    }
}
