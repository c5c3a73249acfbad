using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Tests.Support;
using VibeEnsemble.Web.Configuration;
using VibeEnsemble.Web.Hosting;

namespace VibeEnsemble.Tests.Integration;

/// <summary>The lines printed at start: where to connect, the exact command, and never the token itself.</summary>
public sealed class ConnectLinesTests
{
    [Fact]
    public async Task Start_ServerListening_PrintsTheDashboardAndTheClaudeCommandOnce()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();

        // Act
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await server.WaitForOutputAsync("Vibe Ensemble is running.", cancellationToken);
        await server.WaitForOutputAsync($"Logs", cancellationToken);
        // The printed command, run as a person would with the pinned Claude Code, in a fresh home and project.
        var output = server.Output;
        var command = output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("claude mcp add ", StringComparison.Ordinal));
        using var home = new TempDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home.Path, ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1", ["CLAUDE_CODE_OAUTH_TOKEN"] = null, ["ANTHROPIC_API_KEY"] = "sk-ant-test",
        };
        var added = await ProcessRunner.RunAsync(WorkerHarness.ClaudePath, command.Split(' ').Skip(1), home.Path, cancellationToken, environment);
        var got = await ProcessRunner.RunAsync(WorkerHarness.ClaudePath, ["mcp", "get", "vibe-ensemble"], home.Path, cancellationToken, environment);

        // Assert
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("Connected", got.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Dashboard           {server.DashboardUrl}", output, StringComparison.Ordinal);
        Assert.Contains($"claude mcp add --transport http vibe-ensemble {new Uri(server.AgentUrl, "/mcp")}", output, StringComparison.Ordinal);
        Assert.Contains($"Data    {data.Path}", output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n'), line => line.Contains("Vibe Ensemble is running.", StringComparison.Ordinal));
    }

    [Fact]
    public void For_BeyondLoopback_ReadsTheTokenFromItsFileAndNeverPrintsIt()
    {
        // Arrange
        var server = new ServerOptions { BindAddress = "0.0.0.0", AgentPort = 9001, DashboardPort = 9000, AccessToken = "s3cret-token-that-must-not-show" };
        var storage = new StorageOptions { DataDirectory = "/data/vibe" };

        // Act
        var lines = string.Join('\n', ConnectLines.For(server, storage, "/data/vibe/access-token"));

        // Assert
        Assert.Contains("claude mcp add --transport http vibe-ensemble http://127.0.0.1:9001/mcp --header \"Authorization: Bearer $(cat /data/vibe/access-token)\"", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", lines, StringComparison.Ordinal);
        Assert.Contains("need the access token in /data/vibe/access-token", lines, StringComparison.Ordinal);
    }
}
