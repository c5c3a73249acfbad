using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>What the batching writer and in-memory presence promise when the process is killed (SIGKILL).</summary>
public sealed class HotPathCrashTests
{
    [Fact]
    public async Task Writer_KilledUnderConcurrentLoad_KeepsEveryAcknowledgedRegistration()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        var acknowledged = new ConcurrentBag<string>();
        using var enough = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var thousand = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var uri = new Uri(server.AgentWebSocketUrl, "/ws");

        // Act: 32 clients register new agents as fast as they can; once 1,000 are acknowledged the server is
        // killed with the rest still in flight.
        var clients = Enumerable.Range(0, 32).Select(client => Task.Run(async () =>
        {
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(uri, cancellationToken);
            await WebSocketText.CallAsync(socket, """{"jsonrpc":"2.0","id":0,"method":"vibe/events/subscribe","params":{"kinds":[]}}""", cancellationToken);
            try
            {
                for (var i = 0; !enough.IsCancellationRequested; i++)
                {
                    var name = $"crash-{client}-{i}";
                    using var reply = await WebSocketText.CallAsync(socket,
                        $$"""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register","params":{"name":"{{name}}"} }""", cancellationToken);
                    Assert.Equal(name, reply.RootElement.GetProperty("result").GetProperty("name").GetString());
                    acknowledged.Add(name);
                    if (acknowledged.Count >= 1_000)
                    {
                        thousand.TrySetResult();
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or Xunit.Sdk.XunitException && killing.Task.IsCompleted)
            {
                // The server was killed under this client: its last call has no answer, and that is fine.
            }
        }, cancellationToken)).ToList();
        await thousand.Task.WaitAsync(TestConstants.DefaultTimeout, cancellationToken);
        // Killed while the clients keep writing, so that calls are in every stage of flight at that moment.
        killing.TrySetResult();
        await server.KillAsync();
        await enough.CancelAsync();
        await Task.WhenAll(clients);

        // Assert
        await using var db = TestDatabase.Open(TestDatabase.PathIn(data.Path));
        var stored = (await db.Agents.Select(a => a.Name).ToListAsync(cancellationToken)).ToHashSet();
        Assert.True(acknowledged.Count >= 1_000);
        var lost = acknowledged.Where(name => !stored.Contains(name)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged registrations were lost: {string.Join(", ", lost.Take(10))}");
    }

    [Fact]
    public async Task Presence_KilledAfterHeartbeats_ComesBackOfflineLastSeenWithinOneFlushInterval()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var flushInterval = TimeSpan.FromMilliseconds(500);
        using var data = new TempDirectory();
        var server = await ServerProcess.StartAsync(data.Path, cancellationToken,
            "--VibeEnsemble:Presence:FlushInterval", flushInterval.ToString());
        AgentDto registered;
        DateTimeOffset lastBeat;
        await using (var rpc = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken))
        {
            registered = await rpc.RegisterAsync("pulse", ["go"], cancellationToken);
            // Act: beat for several flush intervals, then die without warning.
            lastBeat = registered.LastSeenAt;
            var until = DateTimeOffset.UtcNow + (flushInterval * 4);
            while (DateTimeOffset.UtcNow < until)
            {
                var beat = await rpc.Rpc.InvokeWithParameterObjectAsync<AgentDto>(
                    "vibe/agent/heartbeat", new { name = "pulse" }, cancellationToken);
                lastBeat = beat.LastSeenAt;
            }

            await server.KillAsync();
        }

        await server.DisposeAsync();
        await using var restarted = await ServerProcess.StartAsync(data.Path, cancellationToken);

        // Assert
        var agent = (await restarted.GetJsonAsync<AgentDto[]>("/api/agents", cancellationToken))!.Single();
        Assert.Equal(registered.Id, agent.Id);
        Assert.Equal("Offline", agent.Status);
        Assert.InRange(agent.LastSeenAt, lastBeat - flushInterval - TimeSpan.FromMilliseconds(250), lastBeat);
    }

}
