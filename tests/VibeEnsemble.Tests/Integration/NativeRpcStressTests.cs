using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Many calls in flight on each of several connections. Under StreamJsonRpc a valid call was once in about a
/// million answered -32602 (its formatter disposed another message's document); each frame now owns its parse.
/// </summary>
public sealed class NativeRpcStressTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task PipelinedCalls_EightConnectionsSixteenInFlight_EveryCallAnsweredWithItsOwnResult()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var clients = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken)));
        try
        {
            for (var c = 0; c < clients.Length; c++)
            {
                await clients[c].RegisterAsync($"stress-{c}", ["c#"], cancellationToken);
            }

            // Act: each connection keeps 16 calls in flight, mixing reads and memory-only writes.
            var failures = await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
            {
                var wrong = 0;
                for (var round = 0; round < 250; round++)
                {
                    var calls = Enumerable.Range(0, 16).Select(async i =>
                    {
                        if (i % 2 == 0)
                        {
                            var agents = await client.Rpc.InvokeWithParameterObjectAsync<AgentDto[]>(
                                "vibe/agent/list", new { status = "online" }, cancellationToken);
                            return agents.Any(a => a.Name == $"stress-{c}");
                        }

                        var beat = await client.Rpc.InvokeWithParameterObjectAsync<AgentDto>(
                            "vibe/agent/heartbeat", new { name = $"stress-{c}" }, cancellationToken);
                        return beat.Name == $"stress-{c}";
                    });
                    wrong += (await Task.WhenAll(calls)).Count(ok => !ok);
                }

                return wrong;
            }, cancellationToken)));

            // Assert: 32,000 calls, every one answered, each with the result for its own params.
            Assert.All(failures, wrong => Assert.Equal(0, wrong));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
