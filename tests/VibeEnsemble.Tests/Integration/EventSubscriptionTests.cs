using System.Net.WebSockets;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Events reach only the connections that asked for their kind. Each connection's frames arrive in the order the
/// events were published, so "the next frame is X" also proves nothing else was sent before it.
/// </summary>
public sealed class EventSubscriptionTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task Subscribe_HeartbeatsOnly_GetsHeartbeatsAndNotArrivals_WhileDefaultGetsArrivalsAndNotHeartbeats()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var beatsOnly = await ConnectAsync(cancellationToken);
        using var byDefault = await ConnectAsync(cancellationToken);
        using var subscribed = await WebSocketText.CallAsync(beatsOnly,
            """{"jsonrpc":"2.0","id":1,"method":"vibe/events/subscribe","params":{"kinds":["agent.heartbeat"]}}""", cancellationToken);
        var name = $"evt-{Guid.NewGuid():N}"[..20];

        // Act
        using (var actor = await ConnectAsync(cancellationToken))
        {
            (await WebSocketText.CallAsync(actor, $$"""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register","params":{"name":"{{name}}"} }""", cancellationToken)).Dispose();
            (await WebSocketText.CallAsync(actor, $$"""{"jsonrpc":"2.0","id":2,"method":"vibe/agent/heartbeat","params":{"name":"{{name}}"} }""", cancellationToken)).Dispose();
            await actor.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
        }

        // Assert
        Assert.Equal(["agent.heartbeat"], subscribed.RootElement.GetProperty("result").GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(("vibe/agent/heartbeat", name), await NextPushAsync(beatsOnly, cancellationToken));
        Assert.Equal(("vibe/agent/registered", name), await NextPushAsync(byDefault, cancellationToken));
        Assert.Equal(("vibe/agent/offline", name), await NextPushAsync(byDefault, cancellationToken));
    }

    [Theory]
    [InlineData("""{"kinds":["agent.teleported"]}""", "Unknown event kind 'agent.teleported'")]
    [InlineData("""{"kinds":"agent.offline"}""", "Invalid params")]
    [InlineData("""{}""", "'kinds' is required")]
    public async Task Subscribe_BadKinds_IsRefusedWithInvalidParamsNamingTheProblem(string parameters, string expected)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var socket = await ConnectAsync(cancellationToken);

        // Act
        using var reply = await WebSocketText.CallAsync(socket, $$"""{"jsonrpc":"2.0","id":7,"method":"vibe/events/subscribe","params":{{parameters}} }""", cancellationToken);

        // Assert
        var error = reply.RootElement.GetProperty("error");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Contains(expected, error.GetProperty("message").GetString());
        Assert.Equal(7, reply.RootElement.GetProperty("id").GetInt32());
    }

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(fixture.Server.AgentWebSocketUrl, "/ws"), cancellationToken);
        return socket;
    }


    /// <summary>The next notification about one of this test's agents (other tests' agents come and go too).</summary>
    private static async Task<(string Method, string Name)> NextPushAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var frame = JsonDocument.Parse(await WebSocketText.ReceiveAsync(socket, cancellationToken));
            var method = frame.RootElement.GetProperty("method").GetString()!;
            if (!method.StartsWith("vibe/agent/", StringComparison.Ordinal))
            {
                continue;
            }

            var name = frame.RootElement.GetProperty("params").GetProperty("name").GetString()!;
            if (name.StartsWith("evt-", StringComparison.Ordinal))
            {
                return (method, name);
            }
        }
    }
}
