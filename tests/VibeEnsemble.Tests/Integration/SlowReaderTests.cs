using System.Net.WebSockets;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// A WebSocket client that floods calls and never reads is disconnected once a reply has waited the stall time,
/// logged once, while a well-behaved client on the same server keeps being answered.
/// </summary>
public sealed class SlowReaderTests
{
    [Theory]
    [InlineData("/ws", "ws", """{"jsonrpc":"2.0","id":1,"method":"vibe/agent/list","params":{"pad":"PAD"}}""", "Native RPC client read no reply for 00:00:02; disconnected.")]
    [InlineData("/mcp/ws", "mcp", """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"pad":"PAD"}}}""", "read no reply for 00:00:02; disconnected.")]
    public async Task ClientThatNeverReads_IsDisconnectedAfterTheStallTime_OthersKeepWorking(string path, string kind, string call, string logged)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken, "--VibeEnsemble:Connections:SendStallTimeout", "00:00:02");
        using var flooder = await ConnectAsync(server, path, kind, cancellationToken);
        using var polite = await ConnectAsync(server, path, kind, cancellationToken);
        var request = call.Replace("PAD", new string('p', 2_000), StringComparison.Ordinal);

        // Act: send until the server gives up on this client (the send fails once the socket is aborted).
        var refused = await Record.ExceptionAsync(async () =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TestConstants.DefaultTimeout);
            while (true)
            {
                await WebSocketText.SendAsync(flooder, request, timeout.Token);
            }
        });
        using var answer = await WebSocketText.CallAsync(polite, call.Replace("PAD", "", StringComparison.Ordinal), cancellationToken);
        var wasLogged = await Record.ExceptionAsync(() => server.WaitForOutputAsync(logged, cancellationToken)) is null;
        Assert.True(wasLogged, server.Output[^Math.Min(server.Output.Length, 3000)..]);

        // Assert
        Assert.IsType<WebSocketException>(refused, exactMatch: false);
        Assert.True(answer.RootElement.TryGetProperty("result", out _), answer.RootElement.GetRawText());
        Assert.Single(server.Output.Split('\n'), line => line.Contains(logged, StringComparison.Ordinal));
    }

    private static async Task<ClientWebSocket> ConnectAsync(ServerProcess server, string path, string kind, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        if (kind == "mcp")
        {
            socket.Options.AddSubProtocol("mcp");
        }

        await socket.ConnectAsync(new Uri(server.AgentWebSocketUrl, path), cancellationToken);
        if (kind == "mcp")
        {
            (await WebSocketText.CallAsync(socket, """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", cancellationToken)).Dispose();
            await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", cancellationToken);
        }

        return socket;
    }
}
