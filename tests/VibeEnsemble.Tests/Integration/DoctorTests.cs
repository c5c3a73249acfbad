using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using VibeEnsemble.Tests.Support;
using VibeEnsemble.Web.Cli;

namespace VibeEnsemble.Tests.Integration;

/// <summary><c>vibe-ensemble doctor</c> as a person runs it: one line per check, the fix on each ✘, exit 0 only when all pass.</summary>
public sealed class DoctorTests
{
    [Fact]
    public async Task Doctor_HealthySetUp_PassesEveryCheck()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var ports = FreePorts.Take(2);

        // Act
        var run = await DoctorAsync(cancellationToken, "--data-dir", data.Path, "--dashboard-port", $"{ports[0]}", "--agent-port", $"{ports[1]}",
            "--VibeEnsemble:Workers:ClaudePath", WorkerHarness.ClaudePath);

        // Assert
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"✔ Claude Code {Doctor.PinnedClaudeCodeVersion}", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(the version the tests pin)", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Everything the server needs is in place.", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("✘", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_ClaudeMissingPortTakenAndDataFolderUnwritable_NamesEachProblemWithItsFix()
    {
        // Arrange: another program on the agent port; the data folder under a file, so it cannot be created (the suite
        // runs as root, for whom a read-only folder is still writable).
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var blocker = data.File("not-a-folder");
        await File.WriteAllTextAsync(blocker, "", cancellationToken);
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;

        // Act
        var run = await DoctorAsync(cancellationToken, "--data-dir", Path.Combine(blocker, "data"), "--dashboard-port", $"{FreePorts.Take(1)[0]}",
            "--agent-port", $"{taken}", "--VibeEnsemble:Workers:ClaudePath", "no-such-claude");

        // Assert
        Assert.Equal(1, run.ExitCode);
        var lines = run.StandardOutput.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("✘ Claude Code ('no-such-claude') was not found", StringComparison.Ordinal) && l.Contains("VibeEnsemble:Workers:ClaudePath", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"✘ agent port {taken} is taken by another program", StringComparison.Ordinal) && l.Contains("--agent-port", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("✘ data directory", StringComparison.Ordinal) && l.Contains("--data-dir", StringComparison.Ordinal));
        Assert.Contains("3 problem(s) to fix.", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_PortsHeldByOurRunningServer_AreFine()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);

        // Act
        var run = await DoctorAsync(cancellationToken, "--data-dir", data.Path, "--dashboard-port", $"{server.DashboardUrl.Port}",
            "--agent-port", $"{server.AgentUrl.Port}", "--VibeEnsemble:Workers:ClaudePath", WorkerHarness.ClaudePath);

        // Assert
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"✔ agent port {server.AgentUrl.Port} is held by a running Vibe Ensemble", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("is readable and up to date", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"✔ data directory {data.Path} is served by the server on these ports", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_DataFolderServedByAServerOnOtherPorts_SaysAStartWouldBeRefused()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        var ports = FreePorts.Take(2);

        // Act
        var run = await DoctorAsync(cancellationToken, "--data-dir", data.Path, "--dashboard-port", $"{ports[0]}",
            "--agent-port", $"{ports[1]}", "--VibeEnsemble:Workers:ClaudePath", WorkerHarness.ClaudePath);

        // Assert
        Assert.Equal(1, run.ExitCode);
        var lines = run.StandardOutput.Split('\n');
        Assert.Contains(lines, l => l.StartsWith($"✘ data directory {data.Path} is served by another Vibe Ensemble server", StringComparison.Ordinal)
            && l.Contains("--data-dir", StringComparison.Ordinal));
        Assert.Contains("1 problem(s) to fix.", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void PinnedClaudeCodeVersion_MatchesTheTestSuitesPackage()
    {
        // Arrange
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.JsDirectory, "package.json")));

        // Act
        var pinned = package.RootElement.GetProperty("devDependencies").GetProperty("@anthropic-ai/claude-code").GetString();

        // Assert
        Assert.Equal(Doctor.PinnedClaudeCodeVersion, pinned);
    }

    private static Task<ProcessResult> DoctorAsync(CancellationToken cancellationToken, params string[] options) =>
        ProcessRunner.RunAsync("dotnet", [RepoPaths.ServerAssembly, "doctor", .. options], Path.GetTempPath(), cancellationToken);
}
