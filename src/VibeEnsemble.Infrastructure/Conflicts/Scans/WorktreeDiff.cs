using System.Text;
using System.Text.RegularExpressions;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Infrastructure.Conflicts.Scans;

/// <summary>Lines of the base a change touches: from <see cref="Start"/>, <see cref="Count"/> lines (0: an insertion there).</summary>
public readonly record struct LineRange(int Start, int Count)
{
    /// <summary>The whole file: a file new in this worktree, which the other side cannot have in common lines with.</summary>
    public static readonly LineRange WholeFile = new(0, int.MaxValue);

    // An insertion occupies its position, so two insertions at the same place, or an insertion inside a changed block,
    // still touch the same lines.
    private long End => (long)Start + Math.Max(Count, 1);

    public bool Overlaps(LineRange other) => Start < other.End && other.Start < End;

    public override string ToString() => this == WholeFile ? "new file" : Count <= 1 ? $"line {Start}" : $"lines {Start}-{Start + Count - 1}";
}

/// <summary>One changed file of a worktree: the base lines it touches and the hunks as git printed them (bounded).</summary>
public sealed record ChangedFile(string Path, IReadOnlyList<LineRange> Ranges, string Hunks, int ChangedLines);

/// <summary>
/// What a worktree has changed since its task's base commit, committed or not, read without touching the worktree:
/// <c>git stash create</c> writes the uncommitted state as a commit object (no ref, no change to files or index),
/// which a trial merge can then use; new files not yet added come from <c>git status</c>.
/// </summary>
public sealed partial record WorktreeDiff(string Tip, IReadOnlyDictionary<string, ChangedFile> Files)
{
    public const int MaxHunkCharsPerFile = 4_000;
    private const int MaxDiffChars = 2_000_000;

    public static async Task<WorktreeDiff?> ReadAsync(string directory, string baseCommit, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        var stash = await GitWorktrees.ExecuteAsync(directory, 200, cancellationToken, "stash", "create");
        var tip = stash.ExitCode == 0 && stash.Output.Trim().Length > 0
            ? stash.Output.Trim()
            : (await GitWorktrees.ExecuteAsync(directory, 200, cancellationToken, "rev-parse", "HEAD")).Output.Trim();
        if (tip.Length == 0)
        {
            return null;
        }

        var diff = await GitWorktrees.ExecuteAsync(directory, MaxDiffChars, cancellationToken,
            "diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", baseCommit, tip);
        if (diff.ExitCode != 0)
        {
            return null;
        }

        var files = Parse(diff.Output);
        var status = await GitWorktrees.ExecuteAsync(directory, 200_000, cancellationToken, "status", "--porcelain", "--untracked-files=all");
        foreach (var line in status.Output.Split('\n'))
        {
            if (line.StartsWith("?? ", StringComparison.Ordinal) && line[3..].Trim('"') is { Length: > 0 } path)
            {
                files.TryAdd(path, new ChangedFile(path, [LineRange.WholeFile], "(a new file, not yet added)", 1));
            }
        }

        return new WorktreeDiff(tip, files);
    }

    /// <summary>Reads <c>git diff -U0</c> output: per file, the base ranges of its hunks and their text.</summary>
    public static Dictionary<string, ChangedFile> Parse(string diff)
    {
        var files = new Dictionary<string, ChangedFile>(StringComparer.Ordinal);
        string? path = null;
        var ranges = new List<LineRange>();
        var hunks = new StringBuilder();
        var changed = 0;

        void Flush()
        {
            if (path is not null)
            {
                files[path] = new ChangedFile(path, [.. ranges], hunks.ToString(), changed);
            }

            (path, changed) = (null, 0);
            ranges.Clear();
            hunks.Clear();
        }

        foreach (var line in diff.Split('\n'))
        {
            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                Flush();
                path = DiffHeader().Match(line) is { Success: true } m ? m.Groups["b"].Value : null;
            }
            else if (path is not null && HunkHeader().Match(line) is { Success: true } hunk)
            {
                var start = int.Parse(hunk.Groups["start"].Value, System.Globalization.CultureInfo.InvariantCulture);
                var count = hunk.Groups["count"].Success ? int.Parse(hunk.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
                // "-5,0" is an insertion after line 5.
                ranges.Add(count == 0 ? new LineRange(start + 1, 0) : new LineRange(start, count));
                Append(hunks, line);
            }
            else if (path is not null && ranges.Count > 0 && line.Length > 0 && line[0] is '+' or '-' && !line.StartsWith("+++", StringComparison.Ordinal) && !line.StartsWith("---", StringComparison.Ordinal))
            {
                changed++;
                Append(hunks, line);
            }
        }

        Flush();
        return files;
    }

    private static void Append(StringBuilder hunks, string line)
    {
        if (hunks.Length < MaxHunkCharsPerFile)
        {
            hunks.Append(line.Length <= 500 ? line : line[..500]).Append('\n');
        }
    }

    [GeneratedRegex(@"^diff --git a/(?<a>.+) b/(?<b>.+)$")]
    private static partial Regex DiffHeader();

    [GeneratedRegex(@"^@@ -(?<start>\d+)(,(?<count>\d+))? \+\d+(,\d+)? @@")]
    private static partial Regex HunkHeader();
}
