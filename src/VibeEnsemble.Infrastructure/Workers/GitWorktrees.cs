using System.Diagnostics;
using System.Text;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>
/// Worktree isolation through the git command line (argument lists, no shell): it is the git the person uses, with
/// their hooks and configuration, and `git worktree` refuses to remove a worktree with uncommitted work, which is
/// the guarantee we want. (LibGit2Sharp's worktree support lacks that check and would add a native library.)
/// </summary>
internal static class GitWorktrees
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    public static async Task<bool> IsRepositoryAsync(string directory, CancellationToken cancellationToken) =>
        Directory.Exists(directory) && (await RunAsync(directory, cancellationToken, "rev-parse", "--is-inside-work-tree")).Ok;

    /// <summary>The branch a task's worktree uses: <c>vibe/&lt;first 8 hex digits of its id's random part&gt;</c>.</summary>
    public static string BranchFor(Guid taskId) => $"vibe/{taskId.ToString("N")[^8..]}";

    /// <summary>
    /// Adds a worktree at <paramref name="path"/> on <paramref name="branch"/> (created from HEAD, or reused with the
    /// work of earlier attempts). Returns the commit the branch started from, for the changed-file list.
    /// </summary>
    /// <exception cref="WorkerStartException">git refused; its message says why.</exception>
    public static async Task<string> AddAsync(string projectDirectory, string path, string branch, CancellationToken cancellationToken)
    {
        var head = await RunAsync(projectDirectory, cancellationToken, "rev-parse", "HEAD");
        if (!head.Ok)
        {
            throw new WorkerStartException($"the project has no commit to branch from: {head.Output}");
        }

        var exists = (await RunAsync(projectDirectory, cancellationToken, "rev-parse", "--verify", "--quiet", $"refs/heads/{branch}")).Ok;
        var added = exists
            ? await RunAsync(projectDirectory, cancellationToken, "worktree", "add", path, branch)
            : await RunAsync(projectDirectory, cancellationToken, "worktree", "add", "-b", branch, path, "HEAD");
        return added.Ok ? head.Output.Trim() : throw new WorkerStartException($"git worktree add failed: {added.Output}");
    }

    /// <summary>
    /// Commits whatever the worker left uncommitted to its branch, then removes the worktree; the branch stays. A
    /// worktree that cannot be committed cleanly is kept, never deleted with work in it.
    /// </summary>
    public static async Task<WorktreeOutcome> FinishAsync(
        string projectDirectory, string path, string branch, string baseCommit, string message, CancellationToken cancellationToken)
    {
        var status = await RunAsync(path, cancellationToken, "status", "--porcelain");
        var note = "";
        if (status.Ok && status.Output.Trim().Length > 0)
        {
            var staged = await RunAsync(path, cancellationToken, "add", "--all");
            var committed = staged.Ok
                ? await RunAsync(path, cancellationToken, "-c", "user.name=Vibe Ensemble", "-c", "user.email=vibe-ensemble@localhost",
                    "commit", "--no-verify", "--message", message)
                : staged;
            if (!committed.Ok)
            {
                return new WorktreeOutcome(branch, await ChangedAsync(projectDirectory, baseCommit, branch, cancellationToken), path,
                    $"the worktree at {path} was kept: its changes could not be committed ({committed.Output})");
            }

            note = "uncommitted work was committed to the branch; ";
        }

        var removed = await RunAsync(projectDirectory, cancellationToken, "worktree", "remove", path);
        var changed = await ChangedAsync(projectDirectory, baseCommit, branch, cancellationToken);
        return removed.Ok
            ? new WorktreeOutcome(branch, changed, null, $"{note}branch {branch} kept, worktree removed")
            : new WorktreeOutcome(branch, changed, path, $"{note}the worktree at {path} was kept: {removed.Output}");
    }

    private static async Task<IReadOnlyList<string>> ChangedAsync(string projectDirectory, string baseCommit, string branch, CancellationToken cancellationToken)
    {
        var diff = await RunAsync(projectDirectory, cancellationToken, "diff", "--name-only", baseCommit, branch);
        return diff.Ok ? [.. diff.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [];
    }

    private static async Task<(bool Ok, string Output)> RunAsync(string directory, CancellationToken cancellationToken, params string[] arguments)
    {
        var (exitCode, output, errors) = await ExecuteAsync(directory, 2_000, cancellationToken, arguments);
        var text = output + errors;
        return (exitCode == 0, text.Length <= 2_000 ? text : text[..2_000]);
    }

    /// <summary>
    /// Runs git in <paramref name="directory"/> and returns its exit code (-1 when it could not run or took too long),
    /// its output cut at <paramref name="maxOutput"/> characters, and its error text.
    /// </summary>
    internal static Task<(int ExitCode, string Output, string Errors)> ExecuteAsync(
        string directory, int maxOutput, CancellationToken cancellationToken, params string[] arguments) =>
        ExecuteAsync(directory, maxOutput, null, cancellationToken, arguments);

    /// <inheritdoc cref="ExecuteAsync(string, int, CancellationToken, string[])"/>
    internal static async Task<(int ExitCode, string Output, string Errors)> ExecuteAsync(
        string directory, int maxOutput, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken, params string[] arguments)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Never a pager or a prompt: nobody is there to answer. No optional locks: a scan reading a worktree must not
        // take the index lock (refreshing stat data) while the worker in it runs git itself.
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["GIT_PAGER"] = "cat";
        info.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, "", $"git could not be run: {ex.Message}");
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_timeout);
            try
            {
                var output = ReadAtMostAsync(process.StandardOutput, maxOutput, timeout.Token);
                var errors = ReadAtMostAsync(process.StandardError, 2_000, timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                return (process.ExitCode, await output, await errors);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"git {string.Join(' ', arguments.Take(2))} did not finish within {s_timeout.TotalSeconds:0} s");
            }
        }
    }

    // Keeps the first characters and drains the rest, so a huge diff neither fills memory nor blocks git on a full pipe.
    private static async Task<string> ReadAtMostAsync(StreamReader reader, int maxChars, CancellationToken cancellationToken)
    {
        var kept = new StringBuilder();
        var buffer = new char[8_192];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            kept.Append(buffer, 0, Math.Min(read, Math.Max(0, maxChars - kept.Length)));
        }

        return kept.ToString();
    }
}

/// <summary>What a worktree left: the branch, the files it changed, and the worktree's path if it had to be kept.</summary>
internal sealed record WorktreeOutcome(string Branch, IReadOnlyList<string> ChangedFiles, string? KeptAt, string Note);

/// <summary>A worktree a worker runs in, to be committed and removed when it ends.</summary>
internal sealed record WorktreeLease(string ProjectDirectory, string Path, string Branch, string BaseCommit, string CommitMessage);
