using System.Text;
using System.Text.RegularExpressions;
using DotNet.Globbing;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Permissions;

namespace VibeEnsemble.Infrastructure.Permissions;

/// <summary>
/// A rule with its patterns parsed once: tool names (exact or glob), and the argument pattern read as the tool's
/// argument needs (a command prefix or wildcard, a path glob relative to the working directory or absolute, a URL
/// wildcard). Building one checks every pattern and names the field that is wrong.
/// </summary>
public sealed class CompiledRule
{
    /// <summary>Stands for the task's working directory (its worktree, for an isolated task) in a path pattern.</summary>
    public const string WorkdirToken = "{workdir}";

    private static readonly GlobOptions s_caseSensitive = new() { Evaluation = { CaseInsensitive = false } };
    private readonly string[] _exactTools;
    private readonly Glob[] _toolGlobs;
    private readonly string? _commandPrefix;
    private readonly Regex? _wildcard;
    private readonly Glob? _pathGlob;

    // The literal text before a pattern's first wildcard: most rules are rejected by it without running the matcher.
    private readonly string _literalPrefix = "";
    private readonly bool _pathRelative;
    private readonly bool _allowsWrites;

    public CompiledRule(PermissionRule rule)
    {
        Rule = rule;
        Description = rule.Describe();
        var tools = rule.ToolPattern.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (tools.Length == 0)
        {
            throw new DomainException("'toolPattern' names no tool; write a tool name (Bash), a list (Edit, Write) or a glob (mcp__*).");
        }

        foreach (var tool in tools)
        {
            if (!tool.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '*' or '?' or '[' or ']' or '!'))
            {
                throw new DomainException($"'toolPattern' entry '{tool}' may hold only letters, digits, _ - . and the glob characters * ? [ ].");
            }

            CheckBrackets(tool, "toolPattern");
        }

        _exactTools = [.. tools.Where(t => t.IndexOfAny(['*', '?', '[']) < 0)];
        _toolGlobs = [.. tools.Where(t => t.IndexOfAny(['*', '?', '[']) >= 0).Select(t => Glob.Parse(t, s_caseSensitive))];
        if (rule.ArgumentPattern is not { } argument)
        {
            return;
        }

        if (_toolGlobs.Length > 0)
        {
            throw new DomainException("'argumentPattern' is read by the tool's kind, so 'toolPattern' must name its tools exactly (no glob) when it has one.");
        }

        var kinds = _exactTools.Select(CallArgument.KindOf).Distinct().ToList();
        if (kinds.All(k => k == ArgumentKind.None))
        {
            throw new DomainException(
                $"'argumentPattern' applies to Bash (a command), the file tools (a path) and WebFetch (a URL); '{rule.ToolPattern}' has no such argument.");
        }

        if (kinds.Count > 1)
        {
            throw new DomainException("'argumentPattern' must be read one way: put Bash, the file tools and WebFetch in separate rules.");
        }

        ArgumentKind = kinds[0];
        switch (ArgumentKind)
        {
            case ArgumentKind.Path:
                (_pathGlob, _pathRelative, _literalPrefix) = ParsePath(argument);
                break;
            case ArgumentKind.Url:
                _wildcard = Wildcard(argument);
                _literalPrefix = argument.IndexOf('*') is var star and >= 0 ? argument[..star] : argument;
                break;
            default:
                // Claude Code's own "git diff:*" reads as a prefix.
                var command = Collapse(argument.EndsWith(":*", StringComparison.Ordinal) ? argument[..^2] : argument);
                _allowsWrites = command.Contains('>', StringComparison.Ordinal);
                if (command.Contains('*', StringComparison.Ordinal))
                {
                    _wildcard = Wildcard(command);
                    _literalPrefix = command[..command.IndexOf('*')];
                    CommandWord = _literalPrefix.IndexOf(' ') is var end and >= 0 ? _literalPrefix[..end] : null;
                }
                else
                {
                    _commandPrefix = command;
                    CommandWord = FirstWord(command).ToString();
                }

                break;
        }
    }

    public PermissionRule Rule { get; }

    public string Description { get; }

    public PermissionAction Action => Rule.Action;

    /// <summary>How the argument pattern is read; None when the rule has no argument pattern.</summary>
    public ArgumentKind ArgumentKind { get; }

    public bool HasArgument => Rule.ArgumentPattern is not null;

    /// <summary>
    /// The first word every command this rule matches starts with (<c>git</c> for <c>git status</c> or
    /// <c>git log *</c>), or null when that is not fixed (<c>gi*</c>, no argument pattern): a command with another
    /// first word need not try the rule.
    /// </summary>
    public string? CommandWord { get; }

    /// <summary>A simple command's first word (whitespace in commands and patterns is collapsed to spaces).</summary>
    public static ReadOnlySpan<char> FirstWord(string command) =>
        command.AsSpan(0, command.IndexOf(' ') is var end and >= 0 ? end : command.Length);

    public bool MatchesTool(string toolName)
    {
        foreach (var exact in _exactTools)
        {
            if (string.Equals(exact, toolName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var glob in _toolGlobs)
        {
            if (glob.IsMatch(toolName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether one simple command matches: a prefix at a word boundary (<c>git status</c> covers <c>git status -s</c>,
    /// not <c>git statusx</c>) or an anchored wildcard. An allow rule never covers a part that could not be read
    /// reliably, or one that writes through a redirection unless its own pattern has one.
    /// </summary>
    public bool MatchesCommand(CommandPart part)
    {
        if (!HasArgument)
        {
            return true;
        }

        if (ArgumentKind != ArgumentKind.Command || Action == PermissionAction.Allow && (part.Opaque || part.Writes && !_allowsWrites))
        {
            return false;
        }

        return _commandPrefix is { } prefix
            ? part.Text.StartsWith(prefix, StringComparison.Ordinal) && (part.Text.Length == prefix.Length || part.Text[prefix.Length] == ' ')
            : part.Text.StartsWith(_literalPrefix, StringComparison.Ordinal) && _wildcard!.IsMatch(part.Text);
    }

    /// <summary>Whether a resolved path matches; relative patterns only match inside the working directory.</summary>
    public bool MatchesPath(string? path, string? workingDirectory)
    {
        if (!HasArgument)
        {
            return true;
        }

        if (_pathGlob is null || path is null)
        {
            return false;
        }

        if (!_pathRelative)
        {
            return path.StartsWith(_literalPrefix, StringComparison.Ordinal) && (_pathGlob.IsMatch(path) || _pathGlob.IsMatch(path + "/"));
        }

        if (workingDirectory is null)
        {
            return false;
        }

        // The prefix test runs for every rule of the tool on every call, so it reads the path in place; a string is
        // made only for the rare rule whose prefix fits.
        ReadOnlySpan<char> relative;
        if (path == workingDirectory)
        {
            relative = ".";
        }
        else if (path.StartsWith(workingDirectory, StringComparison.Ordinal) && path.Length > workingDirectory.Length
            && (path[workingDirectory.Length] == '/' || workingDirectory == "/"))
        {
            relative = path.AsSpan(workingDirectory.Length + (workingDirectory == "/" ? 0 : 1));
        }
        else
        {
            return false;
        }

        // The prefix may also be the whole path and a slash: a pattern "src/**" names the folder "src" too.
        var prefix = _literalPrefix.AsSpan();
        if (!relative.StartsWith(prefix, StringComparison.Ordinal)
            && !(prefix.Length == relative.Length + 1 && prefix[^1] == '/' && prefix.StartsWith(relative, StringComparison.Ordinal)))
        {
            return false;
        }

        var text = relative.ToString();
        return _pathGlob.IsMatch(text) || _pathGlob.IsMatch(text + "/");
    }

    public bool MatchesUrl(string? url) =>
        !HasArgument || _wildcard is not null && url is not null && url.Length <= 8192 && url.StartsWith(_literalPrefix, StringComparison.Ordinal) && _wildcard.IsMatch(url);

    private static (Glob Glob, bool Relative, string LiteralPrefix) ParsePath(string pattern)
    {
        var relative = !pattern.StartsWith('/');
        if (pattern.StartsWith(WorkdirToken, StringComparison.Ordinal))
        {
            pattern = pattern[WorkdirToken.Length..].TrimStart('/');
            pattern = pattern.Length == 0 ? "." : pattern;
            relative = true;
        }

        if (pattern.Contains('{', StringComparison.Ordinal) || pattern.Contains('}', StringComparison.Ordinal))
        {
            throw new DomainException($"'argumentPattern' may use {WorkdirToken} only at its start, and no other braces.");
        }

        if (pattern.Split('/').Any(segment => segment == ".."))
        {
            throw new DomainException("'argumentPattern' may not climb with '..'; write an absolute path for a place outside the working directory.");
        }

        CheckBrackets(pattern, "argumentPattern");
        var wildcard = pattern.IndexOfAny(['*', '?', '[']);
        return (Glob.Parse(pattern, s_caseSensitive), relative, pattern[..(wildcard < 0 ? pattern.Length : wildcard)]);
    }

    /// <summary>DotNet.Glob accepts an unclosed bracket and then matches oddly; refuse it instead.</summary>
    private static void CheckBrackets(string pattern, string field)
    {
        var open = -1;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '[')
            {
                open = open < 0 ? i : throw new DomainException($"'{field}' has a '[' inside another at {i}.");
            }
            else if (pattern[i] == ']')
            {
                if (open < 0 || i - open < 2 || i - open == 2 && pattern[open + 1] == '!')
                {
                    throw new DomainException($"'{field}' has an empty or unopened ']' at {i}.");
                }

                open = -1;
            }
        }

        if (open >= 0)
        {
            throw new DomainException($"'{field}' has a '[' at {open} that is never closed.");
        }
    }

    /// <summary>An anchored wildcard (<c>*</c> is any text, nothing else special), matched in linear time.</summary>
    private static Regex Wildcard(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var piece in pattern.Split('*'))
        {
            regex.Append(Regex.Escape(piece)).Append(".*");
        }

        regex.Length -= 2;
        return new Regex(regex.Append('$').ToString(), RegexOptions.NonBacktracking | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
