using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Presence tells the truth whatever the transport: a connected agent that sends nothing is shown Stale, then goes
/// Offline, and comes back with its next request; one holding a task stays Stale so its task is not handed on.
/// </summary>
public sealed class PresenceLivenessTests
{
    [Fact]
    public async Task SilentAgents_GoStaleThenOffline_ExceptOneHoldingATask_AndANewRequestBringsThemBack()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        // Offline after 6 s, so that the holder's three calls below fit inside that window even on a loaded CI
        // machine (3 s was once too short there: the holder went offline before it took its task).
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken,
            "--VibeEnsemble:Presence:FlushInterval", "00:00:00.2", "--VibeEnsemble:Presence:StaleAfter", "00:00:01",
            "--VibeEnsemble:Presence:OfflineAfter", "00:00:06");
        await using var observer = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
        // The holder registers first, so it has been silent longest when the quiet one goes offline.
        await using var holder = await McpCalls.ConnectHttpAsync(server, "holder", cancellationToken);
        await holder.CallSucceedingAsync("register_agent", new() { ["name"] = "holder", ["capabilities"] = new[] { "liveness" } }, cancellationToken);
        await holder.CallSucceedingAsync("create_task", new() { ["title"] = "long work", ["requiredCapabilities"] = new[] { "liveness" } }, cancellationToken);
        await holder.CallSucceedingAsync("get_next_task", new(), cancellationToken);
        await using var quiet = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
        await quiet.RegisterAsync("quiet", ["c#"], cancellationToken);

        // Act
        var stale = await observer.WaitForNotificationAsync("vibe/agent/stale", a => a.Name == "quiet", cancellationToken);
        var offline = await observer.WaitForNotificationAsync("vibe/agent/offline", a => a.Name == "quiet", cancellationToken);
        var agents = await observer.Rpc.InvokeWithParameterObjectAsync<AgentDto[]>("vibe/agent/list", new { }, cancellationToken);
        await quiet.Rpc.InvokeWithParameterObjectAsync<AgentDto>("vibe/agent/heartbeat", new { name = "quiet" }, cancellationToken);
        var back = await observer.WaitForNotificationAsync("vibe/agent/registered", a => a.Name == "quiet", cancellationToken);

        // Assert
        Assert.Equal("Stale", stale.Status);
        Assert.Equal("Offline", offline.Status);
        Assert.Equal("Stale", agents.Single(a => a.Name == "holder").Status);
        Assert.Equal("Online", back.Status);
    }
}
