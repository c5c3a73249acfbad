using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// The pull flow with real MCP clients over Streamable HTTP against the server process: a coordinator creates
/// dependent tasks, an agent takes and completes them, and the waiting task is released.
/// </summary>
public sealed class McpTaskFlowTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task CoordinatorCreates_AgentTakesAndCompletes_TheDependentTaskIsReleasedToTheRightAgent()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var coordinator = await ConnectAsync("coordinator", cancellationToken);
        await using var rustWorker = await ConnectAsync("rust-worker", cancellationToken);
        await using var webWorker = await ConnectAsync("web-worker", cancellationToken);
        await CallAsync(rustWorker, "register_agent", new() { ["name"] = $"rust-{suffix}", ["capabilities"] = new[] { $"rust-{suffix}" } }, cancellationToken);
        await CallAsync(webWorker, "register_agent", new() { ["name"] = $"web-{suffix}", ["capabilities"] = new[] { "typescript" } }, cancellationToken);

        // Act
        var lexer = await CallAsync(coordinator, "create_task",
            new() { ["title"] = $"Lexer {suffix}", ["requiredCapabilities"] = new[] { $"RUST-{suffix}" }, ["priority"] = "High" }, cancellationToken);
        var parser = await CallAsync(coordinator, "create_task",
            new() { ["title"] = $"Parser {suffix}", ["requiredCapabilities"] = new[] { $"rust-{suffix}" }, ["dependsOn"] = new[] { Id(lexer) } }, cancellationToken);
        var nothingForWeb = await CallAsync(webWorker, "get_next_task", [], cancellationToken);
        var taken = (await CallAsync(rustWorker, "get_next_task", [], cancellationToken)).GetProperty("task");
        var refused = await CallToolAsync(webWorker, "complete_task", new() { ["taskId"] = Id(lexer), ["result"] = "not mine" }, cancellationToken);
        await CallAsync(rustWorker, "update_task_progress", new() { ["taskId"] = Id(taken), ["progress"] = "tokens done" }, cancellationToken);
        var done = await CallAsync(rustWorker, "complete_task", new() { ["taskId"] = Id(taken), ["result"] = "lexer merged" }, cancellationToken);
        var next = (await CallAsync(rustWorker, "get_next_task", [], cancellationToken)).GetProperty("task");
        var details = await CallAsync(coordinator, "get_task", new() { ["taskId"] = Id(lexer) }, cancellationToken);

        // Assert
        Assert.Equal("Blocked", parser.GetProperty("status").GetString());
        Assert.Equal($"blocked by task 'Lexer {suffix}'", parser.GetProperty("waitingReason").GetString());
        // The SDK leaves null properties out: no task, and a message saying why.
        Assert.False(nothingForWeb.TryGetProperty("task", out var none) && none.ValueKind != JsonValueKind.Null);
        Assert.Contains("No ready task needs only capabilities you have (typescript)", nothingForWeb.GetProperty("message").GetString());
        Assert.Equal(Id(lexer), Id(taken));
        Assert.True(refused.IsError);
        Assert.Contains("another agent", Text(refused));
        Assert.Equal(("Completed", "lexer merged"), (done.GetProperty("status").GetString(), done.GetProperty("result").GetString()));
        Assert.Equal(Id(parser), Id(next));
        Assert.Equal("Running", next.GetProperty("status").GetString());
        var attempt = Assert.Single(details.GetProperty("attempts").EnumerateArray());
        Assert.Equal("Succeeded", attempt.GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("get_task", "taskId", "not-an-id", "'taskId' must be a task id")]
    [InlineData("create_task", "title", "  ", "'title' is required.")]
    [InlineData("list_tasks", "status", "Sleeping", "Unknown status 'Sleeping'")]
    [InlineData("get_next_task", null, null, "call register_agent (vibe/agent/register) first")]
    [InlineData("cancel_task", "taskId", "0196f2a6-61b5-7c1e-9a3e-5b0d1c2e3f40", "Task '0196f2a6-61b5-7c1e-9a3e-5b0d1c2e3f40' was not found.")]
    public async Task TaskTool_BadCall_ReturnsReadableToolError(string tool, string? argument, string? value, string message)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var client = await ConnectAsync("errors", cancellationToken);
        var arguments = argument is null ? new Dictionary<string, object?>() : new() { [argument] = value };

        // Act
        var result = await CallToolAsync(client, tool, arguments, cancellationToken);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(message, Text(result));
    }

    private Task<McpClient> ConnectAsync(string name, CancellationToken cancellationToken) => McpClient.CreateAsync(
        new HttpClientTransport(new() { Endpoint = new Uri(fixture.Server.AgentUrl, "/mcp"), Name = name }),
        cancellationToken: cancellationToken);

    private static Task<JsonElement> CallAsync(
        McpClient client, string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken) =>
        client.CallSucceedingAsync(tool, arguments, cancellationToken);

    private static Task<CallToolResult> CallToolAsync(
        McpClient client, string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken) =>
        client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken).AsTask();

    private static string Text(CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private static string Id(JsonElement task) =>
        (task.TryGetProperty("task", out var inner) ? inner : task).GetProperty("id").GetString()!;
}
