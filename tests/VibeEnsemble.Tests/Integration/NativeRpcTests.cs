using System.Net.WebSockets;
using System.Text.Json;
using StreamJsonRpc;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>The native JSON-RPC 2.0 API over WebSocket, driven by a StreamJsonRpc client and by raw frames.</summary>
public sealed class NativeRpcTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task Register_SecondClientConnected_ReceivesCapabilities()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var watcher = await NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken);
        await using var newcomer = await NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken);
        var name = $"rpc-{Guid.NewGuid():N}";

        // Act
        var registered = await newcomer.RegisterAsync(name, ["rust", "databases"], cancellationToken);
        var pushed = await watcher.WaitForNotificationAsync("vibe/agent/registered", a => a.Name == name, cancellationToken);

        // Assert
        Assert.Equal("Online", registered.Status);
        Assert.Equal("rpc", registered.Transport);
        Assert.Equal(registered.Id, pushed.Id);
        Assert.Equal(["rust", "databases"], pushed.Capabilities);
        var listed = await watcher.Rpc.InvokeWithParameterObjectAsync<AgentDto[]>(
            "vibe/agent/list", new { status = "online" }, cancellationToken);
        Assert.Contains(listed, a => a.Id == registered.Id);
    }

    [Fact]
    public async Task Heartbeat_UnknownAgent_ReturnsNotFoundError()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var client = await NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken);

        // Act
        var error = await Assert.ThrowsAsync<RemoteInvocationException>(() =>
            client.Rpc.InvokeWithParameterObjectAsync<AgentDto>("vibe/agent/heartbeat", new { name = "nobody-here" }, cancellationToken));

        // Assert
        Assert.Equal(404, error.ErrorCode);
        Assert.Contains("nobody-here", error.Message);
        var stillUp = await client.Rpc.InvokeWithParameterObjectAsync<AgentDto[]>("vibe/agent/list", new { }, cancellationToken);
        Assert.NotNull(stillUp);
    }

    [Fact]
    public async Task Disconnect_AgentGoesOffline_AndReconnectWithNameRestoresIt()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var watcher = await NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken);
        var name = $"comeback-{Guid.NewGuid():N}";
        var first = await NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken);
        var original = await first.RegisterAsync(name, ["go"], cancellationToken);

        // Act
        await first.DisposeAsync();
        var offline = await watcher.WaitForNotificationAsync("vibe/agent/offline", a => a.Name == name, cancellationToken);
        await using var second = await NativeRpcClient.ConnectAsync(fixture.Server.AgentWebSocketUrl, cancellationToken);
        var restored = await second.RegisterAsync(name, ["go", "grpc"], cancellationToken);

        // Assert
        Assert.Equal("Offline", offline.Status);
        Assert.Equal(original.Id, restored.Id);
        Assert.Equal("Online", restored.Status);
        Assert.Equal(original.RegisteredAt, restored.RegisteredAt);
        Assert.Equal(["go", "grpc"], restored.Capabilities);
    }

    [Fact]
    public async Task MalformedFrames_ThousandInARow_EachGetsAnErrorAndConnectionStaysUsable()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(fixture.Server.AgentWebSocketUrl, "/ws"), cancellationToken);
        (string Frame, int Code)[] cases =
        [
            ("{not json", -32700),
            ("", -32700),
            ("[]", -32600),
            ("""[{"jsonrpc":"2.0","id":1,"method":"vibe/agent/list"}]""", -32600),
            ("42", -32600),
            ("""{"id":1,"method":"vibe/agent/list"}""", -32600),
            ("""{"jsonrpc":"1.0","id":1,"method":"vibe/agent/list"}""", -32600),
            ("""{"jsonrpc":"2.0","id":{"x":1},"method":"vibe/agent/list"}""", -32600),
            ("""{"jsonrpc":"2.0","id":1,"method":7}""", -32600),
            ("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/list","params":"x"}""", -32600),
            ("""{"jsonrpc":"2.0","id":1}""", -32600),
            ("""{"jsonrpc":"2.0","id":1,"method":"vibe/no/such/method","params":{}}""", -32601),
            ("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register","params":{"name":{"first":"x"}}}""", -32602),
            ("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register","params":{"name":"ok","capabilities":"not-a-list"}}""", -32602),
            ("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register","params":{"name":"   "}}""", -32602),
            ("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/list","params":{"status":"sleepy"}}""", -32602),
            ("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register"}""", -32602),
            ("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register","params":["positional"]}""", -32602),
            ("""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/heartbeat","params":{}}""", -32602),
        ];

        // Act + Assert
        for (var i = 0; i < 1_000; i++)
        {
            var (frame, expectedCode) = cases[i % cases.Length];
            await WebSocketText.SendAsync(socket, frame, cancellationToken);
            using var reply = await WebSocketText.ReceiveResponseAsync(socket, cancellationToken);
            var error = reply.RootElement.GetProperty("error");
            Assert.True(expectedCode == error.GetProperty("code").GetInt32(), $"Frame {frame} gave {reply.RootElement}");
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
            Assert.False(error.TryGetProperty("data", out var data) && data.ToString().Contains("   at "), "Stack trace leaked.");
        }

        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","id":"last","method":"vibe/agent/list"}""", cancellationToken);
        using var final = await WebSocketText.ReceiveResponseAsync(socket, cancellationToken);
        Assert.Equal("last", final.RootElement.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Array, final.RootElement.GetProperty("result").ValueKind);
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task BinaryFrame_ClosesWith1003LikeMcpOverWebSocket()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(fixture.Server.AgentWebSocketUrl, "/ws"), cancellationToken);

        // Act
        await socket.SendAsync(new byte[] { 0x7B, 0x7D }, WebSocketMessageType.Binary, true, cancellationToken);
        var result = await socket.ReceiveAsync(new byte[1024], cancellationToken);

        // Assert
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, result.CloseStatus);
        Assert.Contains("text frames only", result.CloseStatusDescription);
    }
}
