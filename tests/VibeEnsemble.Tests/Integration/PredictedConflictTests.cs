using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>Predicted conflicts over /ws: two tasks declaring overlapping paths never run at once, and the second says why it waits.</summary>
public sealed class PredictedConflictTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task TasksWithOverlappingPaths_NeverRunAtOnce_AndTheSecondSaysWhyItWaits()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var skill = "paths-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken);
        await using var second = await NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken);
        await first.RegisterAsync($"a-{skill}", [skill], cancellationToken);
        await second.RegisterAsync($"b-{skill}", [skill], cancellationToken);
        var api = await CreateAsync(first, "Rework the API", ["src/api/**"], skill, cancellationToken);
        var users = await CreateAsync(first, "Fix the users endpoint", ["./src/api/users.cs"], skill, cancellationToken);
        var docs = await CreateAsync(first, "Write the docs", ["docs/**"], skill, cancellationToken);

        // Act
        var claimedFirst = await NextAsync(first, cancellationToken);
        var claimedSecond = await NextAsync(second, cancellationToken);
        var nothingLeft = await NextAsync(second, cancellationToken);
        var waiting = await WaitForReasonAsync(first, users, cancellationToken);
        await first.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/task/complete", new { taskId = api, result = "done" }, cancellationToken);
        var claimedAfter = await NextAsync(second, cancellationToken);

        // Assert
        Assert.Equal(api, claimedFirst);
        Assert.Equal(docs, claimedSecond);
        Assert.Null(nothingLeft);
        Assert.Equal("waits for task 'Rework the API', which is changing overlapping paths (src/api/users.cs and src/api/**)", waiting);
        Assert.Equal(users, claimedAfter);
    }

    private static async Task<string> CreateAsync(NativeRpcClient client, string title, string[] paths, string skill, CancellationToken cancellationToken) =>
        (await client.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/task/create",
            new { title, paths, requiredCapabilities = new[] { skill } }, cancellationToken)).GetProperty("id").GetString()!;

    private static async Task<string?> NextAsync(NativeRpcClient client, CancellationToken cancellationToken)
    {
        var next = await client.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/task/next", new { }, cancellationToken);
        return next.GetProperty("task").ValueKind == JsonValueKind.Null ? null : next.GetProperty("task").GetProperty("id").GetString();
    }

    /// <summary>The scheduler explains waits on its next pass (at most a second away); polled for that long.</summary>
    private static async Task<string?> WaitForReasonAsync(NativeRpcClient client, string taskId, CancellationToken cancellationToken)
    {
        string? reason = null;
        for (var i = 0; i < 50 && reason is null; i++)
        {
            var task = await client.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/task/get", new { taskId }, cancellationToken);
            reason = task.GetProperty("task").GetProperty("waitingReason").GetString();
            if (reason is null)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        return reason;
    }
}
