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

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("mcp");
        await socket.ConnectAsync(new Uri(fixture.Server.AgentWebSocketUrl, "/mcp/ws"), cancellationToken);
        return socket;
    }
}
