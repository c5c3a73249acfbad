using System.Net.Http.Json;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// What a server leaves behind for the person who runs it: a log whose warnings are about their setup, not our
/// queries, and files only in its data folder.
/// </summary>
public sealed class ServerLogTests
{
    private const UnixFileMode PrivateFolderMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task TaskWithDependencyReadAndListed_LogsNoEntityFrameworkWarning()
    {
        // Arrange: a task with a dependency, so reading it joins both of its collections.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        using var client = server.CreateDashboardClient();
        var first = await CreateTaskAsync(client, new { title = "Schema" }, cancellationToken);
        var second = await CreateTaskAsync(
            client, new { title = "Queries", dependsOn = new[] { first } }, cancellationToken);

        // Act
        var read = await client.GetFromJsonAsync<JsonElement>($"/api/tasks/{second}", cancellationToken);
        using var listed = await client.GetAsync("/api/tasks", cancellationToken);
        await server.StopGracefullyAsync(cancellationToken);

        // Assert
        Assert.Equal("Blocked", read.GetProperty("task").GetProperty("status").GetString());
        Assert.True(listed.IsSuccessStatusCode);
        Assert.DoesNotContain(
            server.Output.Split('\n'), line => line.Contains("WRN") && line.Contains("EntityFrameworkCore"));
    }

    [Fact]
    public async Task FirstStartServingTheDashboard_WritesOnlyIntoAPrivateDataFolder_AndLogsNoWarning()
    {
        // Arrange: a home folder of its own (where ASP.NET Core keeps a data protection key ring by default) and a
        // data folder that does not exist yet.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var home = new TempDirectory();
        using var parent = new TempDirectory();
        var data = parent.File("vibe");
        var command = ServerCommand.ThisBuild(new Dictionary<string, string> { ["HOME"] = home.Path });
        await using var server = await ServerProcess.StartAsync(command, data, cancellationToken);
        using var client = server.CreateDashboardClient();

        // Act: pages prerender their interactive components, whose state data protection guards.
        var overview = await client.GetStringAsync("/", cancellationToken);
        var tasks = await client.GetStringAsync("/tasks", cancellationToken);
        await server.StopGracefullyAsync(cancellationToken);

        // Assert
        Assert.All([overview, tasks], page => Assert.Contains("<!--Blazor:{", page));
        Assert.Empty(Directory.EnumerateFileSystemEntries(home.Path, "*", SearchOption.AllDirectories));
        Assert.True(
            OperatingSystem.IsWindows() || File.GetUnixFileMode(data) == PrivateFolderMode, "only its user may read it");
        Assert.True(File.Exists(Path.Combine(data, "vibe-ensemble.db")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(data, "logs")));
        Assert.DoesNotContain(server.Output.Split('\n'), line => line.Contains("WRN"));
    }

    private static async Task<string> CreateTaskAsync(
        HttpClient client, object body, CancellationToken cancellationToken)
    {
        using var created = await client.PostAsJsonAsync("/api/tasks", body, cancellationToken);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
    }
}
