namespace VibeEnsemble.Tests.Support;

/// <summary>git for tests: a command that must succeed, and a repository with one commit of the given files.</summary>
internal static class GitRepository
{
    public static async Task<string> RunAsync(string directory, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("git", arguments, directory, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput;
    }

    /// <summary>Makes <paramref name="directory"/> a repository on <c>main</c> whose first commit holds <paramref name="files"/>.</summary>
    public static async Task InitAsync(string directory, params (string Path, string Text)[] files)
    {
        await RunAsync(directory, "init", "--quiet", "--initial-branch", "main");
        foreach (var (path, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, path), text, TestContext.Current.CancellationToken);
        }

        await RunAsync(directory, "add", ".");
        await RunAsync(directory, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "initial");
    }
}
