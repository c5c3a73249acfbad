using System.Net.WebSockets;
using System.Text.Json;
using ModelContextProtocol.Client;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Routing to connected agents: a /ws client that subscribed to task.assign is pushed the task its capabilities
/// cover and starts it; an MCP client takes another with get_next_task; a pushed task not started within the lease
/// is handed on.
/// </summary>
public sealed class PushAssignmentTests
{
    [Fact]
    public async Task RustTask_GoesToTheWsClientWithRust_WhileAnMcpClientClaimsTheOther()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        using var rust = await ConnectListenerAsync(server, "rustacean", "rust", cancellationToken);
        await using var coordinator = await McpCalls.ConnectHttpAsync(server, "coordinator", cancellationToken);
        await using var gopher = await McpCalls.ConnectHttpAsync(server, "gopher", cancellationToken);
        await CallAsync(gopher, "register_agent", new() { ["name"] = "gopher", ["capabilities"] = new[] { "go" } }, cancellationToken);

        // Act
        var rustTask = await CallAsync(coordinator, "create_task", new() { ["title"] = "Borrow checker fix", ["requiredCapabilities"] = new[] { "Rust" } }, cancellationToken);
        var goTask = await CallAsync(coordinator, "create_task", new() { ["title"] = "Goroutine leak", ["requiredCapabilities"] = new[] { "go" } }, cancellationToken);
        using var pushed = await NextMethodAsync(rust, "vibe/task/assign", cancellationToken);
        var pushedId = pushed.RootElement.GetProperty("params").GetProperty("id").GetString();
        using var started = await WebSocketText.CallAsync(rust, $$"""{"jsonrpc":"2.0","id":10,"method":"vibe/task/start","params":{"taskId":"{{pushedId}}"} }""", cancellationToken);
        var claimed = await CallAsync(gopher, "get_next_task", new() { ["waitSeconds"] = 10 }, cancellationToken);

        // Assert
        Assert.Equal(rustTask.GetProperty("id").GetString(), pushedId);
        Assert.Equal("Assigned", pushed.RootElement.GetProperty("params").GetProperty("status").GetString());
        Assert.True(pushed.RootElement.GetProperty("params").GetProperty("leaseExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Equal("Running", started.RootElement.GetProperty("result").GetProperty("status").GetString());
        Assert.Equal(goTask.GetProperty("id").GetString(), claimed.GetProperty("task").GetProperty("id").GetString());
    }

    [Fact]
    public async Task PushedTask_NotStartedWithinTheLease_IsInterruptedAndOfferedAgain()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken,
            "--VibeEnsemble:Tasks:AgentLease", "00:00:02", "--VibeEnsemble:Jobs:PollInterval", "00:00:00.3");
        using var sleepy = await ConnectListenerAsync(server, "sleepy", "sql", cancellationToken);
        await using var coordinator = await McpCalls.ConnectHttpAsync(server, "coordinator", cancellationToken);

        // Act
        var task = await CallAsync(coordinator, "create_task", new() { ["title"] = "Tune the query", ["requiredCapabilities"] = new[] { "sql" } }, cancellationToken);
        using var first = await NextMethodAsync(sleepy, "vibe/task/assign", cancellationToken);
        using var second = await NextMethodAsync(sleepy, "vibe/task/assign", cancellationToken);
        var details = await CallAsync(coordinator, "get_task", new() { ["taskId"] = task.GetProperty("id").GetString() }, cancellationToken);

        // Assert
        Assert.Equal(first.RootElement.GetProperty("params").GetProperty("id").GetString(), second.RootElement.GetProperty("params").GetProperty("id").GetString());
        Assert.Equal(2, second.RootElement.GetProperty("params").GetProperty("attemptsUsed").GetInt32());
        var interrupted = details.GetProperty("attempts").EnumerateArray().First();
        Assert.Equal("Interrupted", interrupted.GetProperty("outcome").GetString());
        Assert.Contains("not started within its 2 s lease", interrupted.GetProperty("reason").GetString());
    }

    private static async Task<ClientWebSocket> ConnectListenerAsync(ServerProcess server, string name, string capability, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(server.AgentWebSocketUrl, "/ws"), cancellationToken);
        (await WebSocketText.CallAsync(socket, $$"""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register","params":{"name":"{{name}}","capabilities":["{{capability}}"]} }""", cancellationToken)).Dispose();
        (await WebSocketText.CallAsync(socket, """{"jsonrpc":"2.0","id":2,"method":"vibe/events/subscribe","params":{"kinds":["task.assign"]}}""", cancellationToken)).Dispose();
        return socket;
    }

    private static async Task<JsonDocument> NextMethodAsync(WebSocket socket, string method, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        while (true)
        {
            var frame = JsonDocument.Parse(await WebSocketText.ReceiveAsync(socket, timeout.Token));
            if (frame.RootElement.TryGetProperty("method", out var name) && name.GetString() == method)
            {
                return frame;
            }

            frame.Dispose();
        }
    }

    private static Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken) =>
        client.CallSucceedingAsync(tool, arguments, cancellationToken);
}
