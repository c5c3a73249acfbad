using System.Net.Http.Json;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary><c>vibe-ensemble init</c> on a real project folder with a running server: merges, never overwrites, is idempotent.</summary>
public sealed class ProjectInitTests
{
    [Fact]
    public async Task Init_ProjectWithItsOwnConfig_KeepsItAddsOursRegistersAndChangesNothingTheSecondTime()
    {
        // Arrange: a git repository whose .mcp.json and CLAUDE.md already hold the user's own content.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await ProcessRunner.RunAsync("git", ["init", "-q"], project.Path, cancellationToken);
        await File.WriteAllTextAsync(project.File(".mcp.json"), """{"mcpServers":{"other":{"type":"http","url":"http://example.invalid/mcp"}},"note":"mine"}""", cancellationToken);
        await File.WriteAllTextAsync(project.File("CLAUDE.md"), "# House rules\n\nUse tabs.\n", cancellationToken);
        string[] options = ["--agent-port", $"{server.AgentUrl.Port}", "--dashboard-port", $"{server.DashboardUrl.Port}"];

        // Act
        var first = await InitAsync(project.Path, cancellationToken, options);
        var afterFirst = Snapshot(project.Path);
        var second = await InitAsync(project.Path, cancellationToken, options);
        var afterSecond = Snapshot(project.Path);
        using var api = new HttpClient { BaseAddress = server.AgentUrl };
        var projects = await api.GetFromJsonAsync<JsonElement>("/api/projects", cancellationToken);

        // Assert
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        using var config = JsonDocument.Parse(afterFirst[".mcp.json"]);
        Assert.Equal("http://example.invalid/mcp", config.RootElement.GetProperty("mcpServers").GetProperty("other").GetProperty("url").GetString());
        Assert.Equal("mine", config.RootElement.GetProperty("note").GetString());
        Assert.Equal($"{new Uri(server.AgentUrl, "/mcp")}?role=coordinator",
            config.RootElement.GetProperty("mcpServers").GetProperty("vibe-ensemble").GetProperty("url").GetString());
        Assert.StartsWith("# House rules\n\nUse tabs.\n", afterFirst["CLAUDE.md"], StringComparison.Ordinal);
        Assert.Contains("<!-- vibe-ensemble:start -->", afterFirst["CLAUDE.md"], StringComparison.Ordinal);
        Assert.Contains("create_task", afterFirst["CLAUDE.md"], StringComparison.Ordinal);
        Assert.Contains("$ARGUMENTS", afterFirst[".claude/commands/coordinate.md"], StringComparison.Ordinal);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Contains("unchanged .mcp.json", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(projects.EnumerateArray(), p => p.GetProperty("workingDirectory").GetString() == project.Path);
    }

    [Fact]
    public async Task Init_DryRunAndConflicts_WriteNothingAndSayWhy()
    {
        // Arrange: a different vibe-ensemble entry of the user's own.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var project = new TempDirectory();
        using var empty = new TempDirectory();
        var theirs = """{"mcpServers":{"vibe-ensemble":{"type":"http","url":"http://127.0.0.1:9999/mcp"}}}""";
        await File.WriteAllTextAsync(project.File(".mcp.json"), theirs, cancellationToken);
        var notAFolder = project.File("file.txt");
        await File.WriteAllTextAsync(notAFolder, "", cancellationToken);

        // Act
        var dryRun = await InitAsync(empty.Path, cancellationToken, "--dry-run");
        var conflict = await InitAsync(project.Path, cancellationToken);
        var onAFile = await InitAsync(notAFolder, cancellationToken);
        var badTransport = await InitAsync(empty.Path, cancellationToken, "--transport", "carrier-pigeon");

        // Assert
        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains("would have created .mcp.json", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(empty.Path));
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains("already has a different 'vibe-ensemble' entry", conflict.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(theirs, await File.ReadAllTextAsync(project.File(".mcp.json"), cancellationToken));
        Assert.Equal(2, onAFile.ExitCode);
        Assert.Equal($"init needs a project folder; '{notAFolder}' is a file.", onAFile.StandardError.Trim());
        Assert.Equal(2, badTransport.ExitCode);
        Assert.Equal("--transport takes http (default), ws, sse or stdio, not 'carrier-pigeon'. See 'vibe-ensemble init --help'.", badTransport.StandardError.Trim());
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        new[] { ".mcp.json", "CLAUDE.md", ".claude/commands/coordinate.md" }.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(folder, f)));

    private static Task<ProcessResult> InitAsync(string folder, CancellationToken cancellationToken, params string[] options) =>
        ProcessRunner.RunAsync("dotnet", [RepoPaths.ServerAssembly, "init", folder, .. options], Path.GetTempPath(), cancellationToken);
}
