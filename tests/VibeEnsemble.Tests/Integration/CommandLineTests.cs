using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>The real command line: subcommands, help on each, and one line with exit code 2 for every mistake.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "--frobnicate" }, "Unrecognized command or argument '--frobnicate'. See 'vibe-ensemble --help'.")]
    [InlineData(new[] { "--agent-port", "abc" }, "--agent-port takes a port from 1 to 65535, not 'abc'. See 'vibe-ensemble --help'.")]
    [InlineData(new[] { "serve", "--dashboard-port", "70000" }, "--dashboard-port takes a port from 1 to 65535, not '70000'. See 'vibe-ensemble serve --help'.")]
    [InlineData(new[] { "--agent-port" }, "Required argument missing for option: '--agent-port'. See 'vibe-ensemble --help'.")]
    [InlineData(new[] { "doctor", "now" }, "Unrecognized command or argument 'now'. See 'vibe-ensemble doctor --help'.")]
    [InlineData(new[] { "init", "--transport", "carrier-pigeon" }, "--transport takes http (default), ws, sse or stdio, not 'carrier-pigeon'. See 'vibe-ensemble init --help'.")]
    [InlineData(new[] { "--VibeEnsemble:Server:AgentPort" }, "Unrecognized command or argument '--VibeEnsemble:Server:AgentPort'. See 'vibe-ensemble --help'.")]
    public async Task Run_BadCommandLine_ExitsWithTwoAndOneLine(string[] args, string expected)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();

        // Act
        var result = await ProcessRunner.RunAsync("dotnet", [RepoPaths.ServerAssembly, "--data-dir", data.Path, .. args], Path.GetTempPath(), cancellationToken);

        // Assert
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(expected, result.StandardError.Trim());
        Assert.Empty(result.StandardOutput);
        Assert.Empty(Directory.GetFileSystemEntries(data.Path));
    }

    [Theory]
    [InlineData(new string[0], new[] { "serve", "init", "doctor", "--stdio", "--conformance", "--version" })]
    [InlineData(new[] { "serve" }, new[] { "--stdio", "--conformance" })]
    [InlineData(new[] { "init" }, new[] { "<dir>", "--transport <http|ws|sse|stdio>", "[default: http]", "--dry-run", "--force" })]
    [InlineData(new[] { "doctor" }, new string[0])]
    public async Task Help_EachCommand_ListsEveryOptionWithItsDefaultAndConfigKey(string[] command, string[] own)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        string[] shared =
        [
            "--db <path>", "[config: VibeEnsemble:Storage:DatabasePath]",
            "--data-dir <path>", "[config: VibeEnsemble:Storage:DataDirectory]",
            "--dashboard-port <port>", "[default: 8080] [config: VibeEnsemble:Server:DashboardPort]",
            "--agent-port <port>", "[default: 8081] [config: VibeEnsemble:Server:AgentPort]",
            "--bind <address>", "[default: 127.0.0.1] [config: VibeEnsemble:Server:BindAddress]",
        ];

        // Act
        var result = await ProcessRunner.RunAsync("dotnet", [RepoPaths.ServerAssembly, .. command, "--help"], Path.GetTempPath(), cancellationToken);

        // Assert
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Description:", result.StandardOutput);
        Assert.All(shared.Concat(own), text => Assert.Contains(text, result.StandardOutput, StringComparison.Ordinal));
        Assert.Contains($"vibe-ensemble {string.Join(' ', command)}".TrimEnd() + " [", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheServersVersion()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;

        // Act
        var result = await ProcessRunner.RunAsync("dotnet", [RepoPaths.ServerAssembly, "--version"], Path.GetTempPath(), cancellationToken);

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.StandardOutput.Trim());
    }
}
