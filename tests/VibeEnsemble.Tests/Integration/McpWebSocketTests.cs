using System.Net.WebSockets;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>MCP over WebSocket at the frame level: what a hand-rolled or buggy client would send.</summary>
public sealed class McpWebSocketTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task Connect_RequestsMcpSubprotocol_ServerAgreesAndAnswersInitialize()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var socket = await ConnectAsync(cancellationToken);

        // Act
        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""", cancellationToken);
        using var reply = await WebSocketText.ReceiveResponseAsync(socket, cancellationToken);

        // Assert
        Assert.Equal("mcp", socket.SubProtocol);
        var result = reply.RootElement.GetProperty("result");
        Assert.Equal("2024-11-05", result.GetProperty("protocolVersion").GetString());
        Assert.Equal("vibe-ensemble", result.GetProperty("serverInfo").GetProperty("name").GetString());
    }

    [Fact]
    public async Task MalformedFrames_EachAnsweredWithError_ConnectionKeepsWorking()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var socket = await ConnectAsync(cancellationToken);
        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""", cancellationToken);
        await WebSocketText.ReceiveAsync(socket, cancellationToken);
        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", cancellationToken);
        (string Frame, int Code)[] malformed =
        [
            ("{oops", -32700),
            ("[1,2]", -32600),
            ("17", -32600),
            ("""{"jsonrpc":"2.0","id":null,"method":"ping"}""", -32600),
        ];

        // Act + Assert
        foreach (var (frame, code) in malformed)
        {
            await WebSocketText.SendAsync(socket, frame, cancellationToken);
            using var error = await WebSocketText.ReceiveResponseAsync(socket, cancellationToken);
            Assert.True(error.RootElement.TryGetProperty("error", out var details), $"No error for {frame}: {error.RootElement}");
            Assert.Equal(code, details.GetProperty("code").GetInt32());
        }

        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","id":"t","method":"tools/list"}""", cancellationToken);
        using var tools = await WebSocketText.ReceiveResponseAsync(socket, cancellationToken);
        Assert.Contains(tools.RootElement.GetProperty("result").GetProperty("tools").EnumerateArray(),
            t => t.GetProperty("name").GetString() == "register_agent");
    }

    [Fact]
    public async Task RequestIdStillInFlight_SecondUseIsRefused_TheFirstIsAnswered()
    {
        // Arrange: a long poll keeps id 7 in flight.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var socket = await ConnectAsync(cancellationToken);
        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""", cancellationToken);
        await WebSocketText.ReceiveAsync(socket, cancellationToken);
        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", cancellationToken);
        var name = $"dup-{Guid.NewGuid():N}"[..16];
        await WebSocketText.SendAsync(socket, $$"""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"register_agent","arguments":{"name":"{{name}}","capabilities":["{{name}}"]} } }""", cancellationToken);
        (await WebSocketText.ReceiveResponseAsync(socket, cancellationToken)).Dispose();
        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_next_task","arguments":{"waitSeconds":1}}}""", cancellationToken);

        // Act
        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","id":7,"method":"tools/list"}""", cancellationToken);
        using var refused = await WebSocketText.ReceiveResponseAsync(socket, cancellationToken);
        using var first = await WebSocketText.ReceiveResponseAsync(socket, cancellationToken);

        // Assert
        Assert.Equal(-32600, refused.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("already in use", refused.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.True(first.RootElement.TryGetProperty("result", out _), first.RootElement.GetRawText());
    }

    [Fact]
    public async Task BinaryFrame_ClosesWith1003()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var socket = await ConnectAsync(cancellationToken);

        // Act
        await socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, cancellationToken);
        var result = await socket.ReceiveAsync(new byte[1024], cancellationToken);

        // Assert
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, result.CloseStatus);
    }

    [Fact]
    public async Task MalformedFrames_Many_AreAllAnsweredButOnlyTheFirstFewLoggedAsWarnings()
    {
        // Arrange: a server of its own, so that its log holds this client's frames only.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("mcp");
        await socket.ConnectAsync(new Uri(server.AgentWebSocketUrl, "/mcp/ws"), cancellationToken);

        // Act
        for (var i = 0; i < 50; i++)
        {
            await WebSocketText.SendAsync(socket, "{not json", cancellationToken);
            using var reply = System.Text.Json.JsonDocument.Parse(await WebSocketText.ReceiveAsync(socket, cancellationToken));
            Assert.Equal(-32700, reply.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        }

        // Assert
        var warnings = server.Output.Split('\n').Count(line => line.Contains("WRN") && line.Contains("sent a malformed frame"));
        Assert.Equal(3, warnings);
        Assert.Single(server.Output.Split('\n'), line => line.Contains("keeps sending malformed frames"));
    }

    [Fact]
    public async Task ClientThatSendsWithoutReading_IsHeldBack_ServerMemoryStaysBounded_AndEveryRequestIsAnswered()
    {
        // Arrange: a server of its own, so that its memory is this client's doing.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("mcp");
        await socket.ConnectAsync(new Uri(server.AgentWebSocketUrl, "/mcp/ws"), cancellationToken);
        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"flood","version":"1"}}}""", cancellationToken);
        await WebSocketText.ReceiveAsync(socket, cancellationToken);
        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", cancellationToken);
        const int requests = 30_000;
        // Padded to 2 KB, so that the requests (60 MB) do not all fit in the kernel's socket buffers.
        var padding = new string('p', 2_000);
        var sent = 0;

        // Act: each tools/list reply is ~13 KB, 390 MB in all if the server kept them.
        var sending = Task.Run(async () =>
        {
            for (var i = 1; i <= requests; i++)
            {
                await WebSocketText.SendAsync(socket, "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"tools/list\",\"params\":{\"_meta\":{\"pad\":\"" + padding + "\"}}}", cancellationToken);
                Volatile.Write(ref sent, i);
            }
        }, cancellationToken);
        await WaitUntilStalledAsync(() => Volatile.Read(ref sent), sending, cancellationToken);
        var stalledAt = Volatile.Read(ref sent);
        var memoryWhileHeld = server.ResidentMegabytes;
        var answered = 0;
        while (answered < requests)
        {
            using var reply = System.Text.Json.JsonDocument.Parse(await WebSocketText.ReceiveAsync(socket, cancellationToken));
            answered += reply.RootElement.TryGetProperty("result", out _) ? 1 : 0;
        }

        await sending;

        // Assert
        Assert.True(stalledAt < requests, $"the client sent all {requests} requests without being held back (memory {memoryWhileHeld:F0} MiB)");
        Assert.True(memoryWhileHeld < 350, $"server resident memory {memoryWhileHeld:F0} MiB while the client did not read");
        Assert.Equal(requests, answered);
    }

    /// <summary>Waits until the count stops moving for a second (the sender is blocked) or the sender is done.</summary>
    private static async Task WaitUntilStalledAsync(Func<int> progress, Task sender, CancellationToken cancellationToken)
    {
        var last = -1;
        var still = 0;
        while (!sender.IsCompleted && still < 5)
        {
            // Nothing signals "blocked in send"; progress is sampled instead.
            await Task.Delay(200, cancellationToken);
            var now = progress();
            still = now == last ? still + 1 : 0;
            last = now;
        }
    }

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("mcp");
        await socket.ConnectAsync(new Uri(fixture.Server.AgentWebSocketUrl, "/mcp/ws"), cancellationToken);
        return socket;
    }
}
