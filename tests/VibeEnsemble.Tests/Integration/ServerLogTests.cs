using System.Net.Http.Json;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>What a person reads in the server's log: warnings there are about their setup, not our queries.</summary>
public sealed class ServerLogTests
{
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

    private static async Task<string> CreateTaskAsync(
        HttpClient client, object body, CancellationToken cancellationToken)
    {
        using var created = await client.PostAsJsonAsync("/api/tasks", body, cancellationToken);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
    }
}
