using System.Text;
using System.Text.RegularExpressions;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Infrastructure.Conflicts.Scans;

/// <summary>Lines of the base a change touches: from <see cref="Start"/>, <see cref="Count"/> lines (0: an insertion there).</summary>
public readonly record struct LineRange(int Start, int Count)
{
    // An insertion occupies its position, so two insertions at the same place, or an insertion inside a changed block,
    // still touch the same lines.
    private long End => (long)Start + Math.Max(Count, 1);

    public bool Overlaps(LineRange other) => Start < other.End && other.Start < End;

    public override string ToString() => Count <= 1 ? $"line {Start}" : $"lines {Start}-{Start + Count - 1}";
}

/// <summary>One changed file of a worktree: the base lines it touches and the hunks as git printed them (bounded).</summary>
public sealed record ChangedFile(string Path, IReadOnlyList<LineRange> Ranges, string Hunks, int ChangedLines);

/// <summary>
/// What a worktree has changed since its task's base commit, committed or not, new files included, read without
/// touching the worktree: its state is written as a commit object (no ref) through a private index file, which the
/// diff and a trial merge then use.
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

        var index = Path.Combine(Path.GetTempPath(), $"vibe-scan-{Guid.NewGuid():N}.index");
        try
        {
            var tip = await SnapshotAsync(directory, index, cancellationToken);
            if (tip is null)
            {
                return null;
            }

            var diff = await GitWorktrees.ExecuteAsync(directory, MaxDiffChars, cancellationToken,
                "diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", baseCommit, tip);
            return diff.ExitCode == 0 ? new WorktreeDiff(tip, Parse(diff.Output)) : null;
        }
        finally
        {
            File.Delete(index);
        }
    }

    /// <summary>
    /// The worktree's current state (tracked changes and new files not ignored) as a commit on top of HEAD, built in a
    /// private index file: the worker's own index is never locked or changed. Null when git refuses.
    /// </summary>
    private static async Task<string?> SnapshotAsync(string directory, string index, CancellationToken cancellationToken)
    {
        // A copy of the worker's index, not a fresh one: its stat data lets "add" hash only the files that changed. git
        // replaces an index by renaming a new file over it, so the copy is one whole version or the other.
        var own = await GitWorktrees.ExecuteAsync(directory, 2_000, cancellationToken, "rev-parse", "--path-format=absolute", "--git-path", "index");
        var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
        var copied = own.ExitCode == 0 && TryCopy(own.Output.Trim(), index);
        if (!copied && (await GitWorktrees.ExecuteAsync(directory, 2_000, environment, cancellationToken, "read-tree", "HEAD")).ExitCode != 0)
        {
            return null;
        }

        if ((await GitWorktrees.ExecuteAsync(directory, 2_000, environment, cancellationToken, "add", "--all")).ExitCode != 0)
        {
            return null;
        }

        var tree = await GitWorktrees.ExecuteAsync(directory, 200, environment, cancellationToken, "write-tree");
        var commit = tree.ExitCode == 0
            ? await GitWorktrees.ExecuteAsync(directory, 200, environment, cancellationToken,
                "-c", "user.name=Vibe Ensemble", "-c", "user.email=vibe-ensemble@localhost", "commit-tree", tree.Output.Trim(), "-p", "HEAD", "-m", "conflict scan")
            : tree;
        return commit.ExitCode == 0 && commit.Output.Trim() is { Length: > 0 } id ? id : null;
    }

    private static bool TryCopy(string from, string to)
    {
        try
        {
            File.Copy(from, to, overwrite: true);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
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
