using System.Text;

namespace VibeEnsemble.Infrastructure.Permissions;

/// <summary>
/// Splits a shell command line into the simple commands it runs, so that every one of them must match a rule on its
/// own: <c>git status &amp;&amp; rm -rf /</c> is two commands, and an allow rule for <c>git status</c> covers only the
/// first. Separators are <c>&amp;&amp;</c>, <c>||</c>, <c>;</c>, <c>|</c>, <c>&amp;</c> and new lines; command
/// substitutions (<c>$(…)</c>, backticks) and process substitutions (<c>&lt;(…)</c>, <c>&gt;(…)</c>) and subshells
/// start commands of their own, also inside double quotes, where bash still runs them. Single-quoted text is data.
/// </summary>
/// <remarks>
/// When in doubt the split is stricter than bash, never looser: whatever this cannot follow (an unclosed quote,
/// ANSI-C <c>$'…'</c> quoting, a part that writes through a redirection) comes back marked, and the policy never
/// lets a marked part through an allow rule. One pass over the text: linear in its length.
/// </remarks>
public static class BashCommand
{
    /// <summary>Commands longer than this are not split at all: they can only be asked about.</summary>
    public const int MaxLength = 100_000;

    /// <summary>The simple commands of <paramref name="command"/>, whitespace collapsed; empty parts dropped.</summary>
    public static IReadOnlyList<CommandPart> Split(string command)
    {
        if (command.Length > MaxLength)
        {
            return [new CommandPart(Normalize(command.AsSpan(0, 200)), Opaque: true)];
        }

        var parts = new List<CommandPart>();
        var current = new StringBuilder();
        var opaque = false;
        var writes = false;
        var inSingle = false;
        var inDouble = false;
        var nestedInQuotes = false;
        var depth = 0;
        var inBacktick = false;

        void Flush()
        {
            var text = Normalize(current.ToString().AsSpan());
            if (text.Length > 0)
            {
                parts.Add(new CommandPart(text, opaque, writes));
            }

            current.Clear();
            opaque = false;
            writes = false;
        }

        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            var next = i + 1 < command.Length ? command[i + 1] : '\0';
            if (inSingle)
            {
                current.Append(c);
                inSingle = c != '\'';
                continue;
            }

            if (c == '\\')
            {
                // An escaped character is literal; keep both so the text still reads as written.
                current.Append(c);
                if (i + 1 < command.Length)
                {
                    current.Append(next);
                    i++;
                }

                continue;
            }

            if (c == '$' && next == '(' || c == '`' || (c is '<' or '>') && next == '(' && !inDouble)
            {
                // A command inside a command: what came before is one part, what follows another. Inside double
                // quotes its own quoting starts afresh, which one pass cannot follow: nothing here is then allowed.
                nestedInQuotes |= inDouble;
                if (c == '`')
                {
                    inBacktick = !inBacktick;
                }
                else
                {
                    depth++;
                }

                Flush();
                i += c == '`' ? 0 : 1;
                continue;
            }

            if (c == '$' && next == '\'' && !inDouble)
            {
                opaque = true;
            }

            if (inDouble)
            {
                current.Append(c);
                inDouble = c != '"';
                continue;
            }

            switch (c)
            {
                case '\'':
                    inSingle = true;
                    current.Append(c);
                    break;
                case '"':
                    inDouble = true;
                    current.Append(c);
                    break;
                case ';' or '\n' or '\r' or '&' or '|' or '(' or ')' when !IsRedirectionAmpersand(command, i):
                    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                    Flush();
                    break;
                case '>':
                    writes |= !IsHarmlessRedirection(command, i);
                    current.Append(c);
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }

        // An unclosed quote or substitution: bash would not run this as we read it, so no rule may allow any of it.
        var unbalanced = inSingle || inDouble || inBacktick || depth != 0;
        Flush();
        if (unbalanced || nestedInQuotes)
        {
            for (var p = 0; p < parts.Count; p++)
            {
                parts[p] = parts[p] with { Opaque = true };
            }
        }

        return parts;
    }

    /// <summary><c>2&gt;&amp;1</c>, <c>&gt;&amp;2</c>, <c>&amp;&gt;</c>: an ampersand that is part of a redirection, not a separator.</summary>
    private static bool IsRedirectionAmpersand(string command, int i) =>
        command[i] == '&' && (i > 0 && command[i - 1] is '>' or '<' || i + 1 < command.Length && command[i + 1] == '>');

    /// <summary>
    /// Output redirections that write nothing a person cares about: to another descriptor (<c>2&gt;&amp;1</c>,
    /// <c>&gt;&amp;-</c>) or to /dev/null. Anything else after <c>&gt;</c> or <c>&gt;&amp;</c> names a file.
    /// </summary>
    private static bool IsHarmlessRedirection(string command, int i)
    {
        var rest = command.AsSpan(i + 1).TrimStart('>').TrimStart(' ');
        if (rest.StartsWith("&"))
        {
            var target = rest[1..];
            var digits = 0;
            while (digits < target.Length && char.IsAsciiDigit(target[digits]))
            {
                digits++;
            }

            return digits > 0 && EndsWord(target, digits) || target.StartsWith("-") && EndsWord(target, 1);
        }

        return rest.StartsWith("/dev/null", StringComparison.Ordinal) && EndsWord(rest, 9);
    }

    private static bool EndsWord(ReadOnlySpan<char> text, int at) => at == text.Length || text[at] is ' ' or ';' or '&' or '|' or '\n' or ')';

    private static string Normalize(ReadOnlySpan<char> text)
    {
        var result = new StringBuilder(text.Length);
        var space = false;
        text = text.Trim();
        // A brace group or a negation runs the command after it: read `{ rm -rf x` as `rm -rf x`.
        while (text.Length > 1 && text[0] is '{' or '!' && char.IsWhiteSpace(text[1]))
        {
            text = text[1..].TrimStart();
        }

        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                result.Append(' ');
                space = false;
            }

            result.Append(c);
        }

        return result.ToString();
    }
}

/// <summary>
/// One simple command. <see cref="Opaque"/>: could not be read reliably. <see cref="Writes"/>: redirects output to a
/// file. Either keeps it from matching an allow rule that does not say so itself.
/// </summary>
public sealed record CommandPart(string Text, bool Opaque = false, bool Writes = false);
