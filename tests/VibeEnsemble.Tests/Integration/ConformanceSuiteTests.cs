using System.Text.RegularExpressions;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>The official MCP conformance suite against the real server in conformance mode.</summary>
public sealed partial class ConformanceSuiteTests
{
    [Fact]
    public async Task ConformanceSuite_ActiveServerScenarios_AllPass()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken, "--conformance");
        var cli = Path.Combine(RepoPaths.JsDirectory, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");
        // The suite checks DNS-rebinding protection against a localhost URL, as a browser attack would use.
        var url = $"http://localhost:{server.AgentUrl.Port}/mcp";

        // Act
        var result = await NodeScripts.RunAsync(
            [cli, "server", "--url", url, "--suite", "active", "-o", data.File("conformance-results")], cancellationToken);
        await File.WriteAllTextAsync(RepoPaths.TestOutput("conformance.txt"), result.ToString(), cancellationToken);

        // Assert
        var total = TotalLine().Match(result.StandardOutput);
        Assert.True(total.Success, $"No summary from the suite:\n{result}");
        Assert.Equal(0, int.Parse(total.Groups["failed"].Value));
        Assert.True(int.Parse(total.Groups["passed"].Value) >= 40, $"Fewer checks than the 30 active scenarios hold:\n{result}");
        Assert.DoesNotContain("✗", result.StandardOutput);
        Assert.Equal(0, result.ExitCode);
    }

    [GeneratedRegex(@"^Total: (?<passed>\d+) passed, (?<failed>\d+) failed", RegexOptions.Multiline)]
    private static partial Regex TotalLine();
}
