using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Messages between MCP agents (Streamable HTTP) and a /ws agent: direct, group and broadcast reach exactly their
/// recipients, an offline agent finds its queue when it returns, waiting returns as soon as a message arrives, and
/// acknowledgements are recorded.
/// </summary>
public sealed class MessagingTests
{
    [Fact]
    public async Task DirectGroupAndBroadcast_ReachExactlyTheirRecipients_OfflineQueueAckAndWait()
    {
        // Arrange: alice (MCP, frontend), bob (/ws, frontend), carol (MCP, backend), dave (MCP, backend; leaves).
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await using var alice = await McpAgentAsync(server, "alice", "frontend", cancellationToken);
        await using var carol = await McpAgentAsync(server, "carol", "backend", cancellationToken);
        await using var bob = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
        await bob.RegisterAsync("bob", ["frontend"], cancellationToken);
        var dave = await McpAgentAsync(server, "dave", "backend", cancellationToken);
        await dave.DisposeAsync();

        // Act
        var direct = await alice.CallSucceedingAsync("send_message", new() { ["to"] = "bob", ["body"] = "PR #12 is ready", ["subject"] = "review", ["ackRequired"] = true }, cancellationToken);
        var pushed = await bob.WaitForMessageAsync(m => m.GetProperty("id").GetString() == direct.GetProperty("id").GetString(), cancellationToken);
        var acked = await bob.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/message/ack", new { messageId = direct.GetProperty("id").GetString() }, cancellationToken);
        await carol.CallSucceedingAsync("send_message", new() { ["to"] = "group:frontend", ["body"] = "API v2 is live" }, cancellationToken);
        var groupAtBob = await bob.WaitForMessageAsync(m => m.GetProperty("body").GetString() == "API v2 is live", cancellationToken);
        await alice.CallSucceedingAsync("send_message", new() { ["to"] = "everyone", ["body"] = "stand-up in 5", ["importance"] = "high" }, cancellationToken);
        await bob.WaitForMessageAsync(m => m.GetProperty("body").GetString() == "stand-up in 5", cancellationToken);
        var carolUnread = await carol.CallSucceedingAsync("check_inbox", new(), cancellationToken);
        var waiting = carol.CallSucceedingAsync("wait_for_messages", new() { ["waitSeconds"] = 20 }, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        await alice.CallSucceedingAsync("send_message", new() { ["to"] = "carol", ["body"] = "ping" }, cancellationToken);
        var sentAt = stopwatch.Elapsed;
        var woke = await waiting;
        var wokeAfter = stopwatch.Elapsed - sentAt;
        var aliceInbox = await alice.CallSucceedingAsync("check_inbox", new(), cancellationToken);
        var carolInbox = await carol.CallSucceedingAsync("check_inbox", new() { ["unreadOnly"] = false }, cancellationToken);
        await using var daveAgain = await McpAgentAsync(server, "dave", "backend", cancellationToken);
        var daveQueue = await daveAgain.CallSucceedingAsync("check_inbox", new(), cancellationToken);
        var daveAfterReading = await daveAgain.CallSucceedingAsync("check_inbox", new(), cancellationToken);

        // Assert
        Assert.Equal(("alice", "bob", "review", true), (pushed.GetProperty("sender").GetString(), pushed.GetProperty("to").GetString(), pushed.GetProperty("subject").GetString(), pushed.GetProperty("ackRequired").GetBoolean()));
        Assert.Equal("Acknowledged", acked.GetProperty("status").GetString());
        Assert.Equal("group:frontend", groupAtBob.GetProperty("to").GetString());
        Assert.Equal(["API v2 is live"], Bodies(aliceInbox));
        Assert.Equal(["ping", "stand-up in 5"], Bodies(carolInbox).Order());
        Assert.Equal(["stand-up in 5"], Bodies(carolUnread));
        Assert.Equal(["ping"], Bodies(woke));
        Assert.True(wokeAfter < TimeSpan.FromSeconds(1), $"wait_for_messages returned {wokeAfter.TotalMilliseconds:F0} ms after the send");
        Assert.Equal(["stand-up in 5"], Bodies(daveQueue));
        Assert.Empty(Bodies(daveAfterReading));
        Assert.Equal(0, bob.PendingMessages);
    }

    [Fact]
    public async Task TaskFailsForGood_ItsCreatorFindsAnUrgentMessageAndAnIssueSayingWhy()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await using var coordinator = await McpAgentAsync(server, "lead", "planning", cancellationToken);
        await using var worker = await McpAgentAsync(server, "hands", "sql", cancellationToken);
        var task = await coordinator.CallSucceedingAsync("create_task", new() { ["title"] = "Migrate the orders table", ["requiredCapabilities"] = new[] { "sql" }, ["maxAttempts"] = 1 }, cancellationToken);
        await worker.CallSucceedingAsync("get_next_task", new(), cancellationToken);

        // Act
        await worker.CallSucceedingAsync("fail_task", new() { ["taskId"] = task.GetProperty("id").GetString(), ["reason"] = "the table is locked by a backup", ["retryable"] = false }, cancellationToken);
        var inbox = await coordinator.CallSucceedingAsync("wait_for_messages", new() { ["waitSeconds"] = 10 }, cancellationToken);

        // Assert
        var message = Assert.Single(inbox.EnumerateArray());
        Assert.Equal(("vibe-ensemble", "Urgent", "Task failed: Migrate the orders table"),
            (message.GetProperty("sender").GetString(), message.GetProperty("importance").GetString(), message.GetProperty("subject").GetString()));
        Assert.Contains("the table is locked by a backup", message.GetProperty("body").GetString());
        var issues = await coordinator.CallSucceedingAsync("list_issues", new() { ["label"] = "task-failure" }, cancellationToken);
        var issue = Assert.Single(issues.EnumerateArray());
        Assert.Equal((task.GetProperty("id").GetString(), "Task failed: Migrate the orders table"),
            (issue.GetProperty("taskId").GetString(), issue.GetProperty("title").GetString()));
        Assert.Contains("the table is locked by a backup", issue.GetProperty("body").GetString());
    }

    [Theory]
    [InlineData("nobody", "hello", "Agent 'nobody' was not found.")]
    [InlineData("group:astronomy", "hello", "Group 'astronomy' is empty")]
    [InlineData("bob", "", "'body' is required.")]
    [InlineData("", "hello", "'to' is required")]
    public async Task SendMessage_BadRecipientOrBody_IsAToolErrorNamingIt(string to, string body, string expected)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await using var alice = await McpAgentAsync(server, "alice", "frontend", cancellationToken);
        await using var bob = await McpAgentAsync(server, "bob", "frontend", cancellationToken);

        // Act
        var result = await alice.CallToolAsync("send_message", new Dictionary<string, object?> { ["to"] = to, ["body"] = body }, cancellationToken: cancellationToken);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(expected, McpCalls.Text(result));
    }

    private static async Task<McpClient> McpAgentAsync(ServerProcess server, string name, string capability, CancellationToken cancellationToken)
    {
        var client = await McpCalls.ConnectHttpAsync(server, name, cancellationToken);
        await client.CallSucceedingAsync("register_agent", new() { ["name"] = name, ["capabilities"] = new[] { capability } }, cancellationToken);
        return client;
    }

    private static string[] Bodies(JsonElement messages) => [.. messages.EnumerateArray().Select(m => m.GetProperty("body").GetString()!)];
}
