using DotNet.Globbing;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Permissions;

namespace VibeEnsemble.Infrastructure.Conflicts;

/// <summary>
/// Reservation paths: normalised to project-relative form, refused when they could reach outside the project, and
/// compared for overlap. Globs are DotNet.Glob's (<c>*</c>, <c>**</c>, <c>?</c>, <c>[...]</c>, <c>{a,b}</c>).
/// </summary>
internal static class ReservationPaths
{
    private static readonly GlobOptions s_options = new() { Evaluation = { CaseInsensitive = false } };

    // Reserved globs are few and compared often: each is parsed once (bounded, so hostile input cannot grow it forever).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Glob> s_globs = new(StringComparer.Ordinal);

    private static Glob Compiled(string pattern)
    {
        if (s_globs.TryGetValue(pattern, out var glob))
        {
            return glob;
        }

        glob = Glob.Parse(pattern, s_options);
        if (s_globs.Count < 100_000)
        {
            s_globs.TryAdd(pattern, glob);
        }

        return glob;
    }

    /// <summary>
    /// <paramref name="path"/> as a project-relative pattern: '\' read as '/', './' and duplicate slashes dropped, an
    /// absolute path inside <paramref name="projectDirectory"/> made relative. '..' segments, other absolute paths and
    /// (for a plain path) a symbolic link leading out of the project are refused.
    /// </summary>
    public static string Normalize(string path, string? projectDirectory)
    {
        var text = path.Trim().Replace('\\', '/');
        if (text.Length == 0)
        {
            throw new DomainException("'paths' holds a blank entry.");
        }

        if (text.StartsWith('/') || (text.Length > 1 && text[1] == ':'))
        {
            var root = projectDirectory?.TrimEnd('/');
            if (root is null || !(text == root || text.StartsWith(root + "/", StringComparison.Ordinal)))
            {
                throw new DomainException($"'{Inputs.Shorten(path, 200)}' is outside the project; give paths relative to the project's directory.");
            }

            text = text[root.Length..];
        }

        var segments = new List<string>();
        foreach (var segment in text.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                throw new DomainException($"'{Inputs.Shorten(path, 200)}' climbs out with '..'; give paths inside the project.");
            }

            if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        if (segments.Count == 0)
        {
            throw new DomainException($"'{Inputs.Shorten(path, 200)}' names the whole project; reserve '**' to mean that.");
        }

        var normalized = string.Join('/', segments);
        if (!IsGlob(normalized) && projectDirectory is not null)
        {
            // A plain path may pass through a symbolic link; judged where it really leads.
            var real = CallArgument.Resolve(Path.Combine(projectDirectory, normalized));
            var realRoot = CallArgument.Resolve(projectDirectory).TrimEnd('/');
            if (!(real == realRoot || real.StartsWith(realRoot + "/", StringComparison.Ordinal)))
            {
                throw new DomainException($"'{Inputs.Shorten(path, 200)}' leads outside the project through a symbolic link.");
            }
        }
        else if (IsGlob(normalized))
        {
            CheckBrackets(normalized, path);
        }

        return normalized;
    }

    public static bool IsGlob(string pattern) => pattern.AsSpan().IndexOfAny("*?[{") >= 0;

    /// <summary>
    /// Whether some file could be named by both. A plain path overlaps a pattern that matches it (or, as a directory,
    /// anything under it). Two globs are compared by what comes before their first wildcard: when neither of those
    /// directories contains the other they cannot overlap; otherwise they are taken to overlap unless both end in
    /// different literal extensions (<c>*.cs</c> and <c>*.md</c>). Cautious by design: a warning too many costs less
    /// than a collision.
    /// </summary>
    public static bool Overlap(string a, string b)
    {
        var (aGlob, bGlob) = (IsGlob(a), IsGlob(b));
        if (!aGlob && !bGlob)
        {
            return a == b || Under(a, b) || Under(b, a);
        }

        if (!aGlob || !bGlob)
        {
            var (plain, pattern) = aGlob ? (b, a) : (a, b);
            var root = LiteralPrefix(pattern);
            return Compiled(pattern).IsMatch(plain) || root == plain || Under(root, plain);
        }

        var (aRoot, bRoot) = (LiteralPrefix(a), LiteralPrefix(b));
        if (!(aRoot.Length == 0 || bRoot.Length == 0 || aRoot == bRoot || Under(aRoot, bRoot) || Under(bRoot, aRoot)))
        {
            return false;
        }

        return !(Extension(a) is { } x && Extension(b) is { } y && !string.Equals(x, y, StringComparison.Ordinal));
    }

    /// <summary>
    /// Where a path sits in the tree for <see cref="Overlap"/>: a plain path itself, a glob its directories before the
    /// first wildcard ("" for one that starts with a wildcard). Overlapping paths always have anchors on one chain.
    /// </summary>
    internal static string Anchor(string path) => IsGlob(path) ? LiteralPrefix(path) : path;

    /// <summary>Whether <paramref name="path"/> lies under the directory <paramref name="directory"/>.</summary>
    private static bool Under(string path, string directory) =>
        directory.Length > 0 && path.StartsWith(directory + "/", StringComparison.Ordinal);

    /// <summary>The directories before the first segment with a wildcard ("src/api" for "src/api/**/*.cs").</summary>
    private static string LiteralPrefix(string pattern)
    {
        var wildcard = pattern.AsSpan().IndexOfAny("*?[{");
        var slash = pattern.LastIndexOf('/', wildcard < 0 ? pattern.Length - 1 : wildcard);
        return slash < 0 ? "" : pattern[..slash];
    }

    /// <summary>".cs" for a pattern whose last segment is "*.cs" (no other wildcard in it), else null.</summary>
    private static string? Extension(string pattern)
    {
        var last = pattern[(pattern.LastIndexOf('/') + 1)..];
        return last.StartsWith("*.", StringComparison.Ordinal) && last.AsSpan(1).IndexOfAny("*?[{/") < 0 ? last[1..] : null;
    }

    private static void CheckBrackets(string pattern, string original)
    {
        var depth = 0;
        foreach (var c in pattern)
        {
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (depth is < 0 or > 1)
            {
                break;
            }
        }

        if (depth != 0)
        {
            throw new DomainException($"'{Inputs.Shorten(original, 200)}' has an unbalanced '[' or ']'.");
        }
    }
}
