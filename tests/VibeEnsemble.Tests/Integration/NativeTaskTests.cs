using System.Net.WebSockets;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>The <c>vibe/task/*</c> twins over raw frames, and the <c>vibe/task/updated</c> push.</summary>
public sealed class NativeTaskTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task CreateNextComplete_OverTheNativeApi_AnotherClientIsPushedEveryChange()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var watcher = await ConnectAsync(cancellationToken);
        (await WebSocketText.CallAsync(watcher, """{"jsonrpc":"2.0","id":1,"method":"vibe/events/subscribe","params":{"kinds":["task.updated"]}}""", cancellationToken)).Dispose();
        using var worker = await ConnectAsync(cancellationToken);
        (await WebSocketText.CallAsync(worker, $$"""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register","params":{"name":"nt-{{suffix}}","capabilities":["cap-{{suffix}}"]} }""", cancellationToken)).Dispose();

        // Act
        using var created = await WebSocketText.CallAsync(worker, $$"""{"jsonrpc":"2.0","id":2,"method":"vibe/task/create","params":{"title":"Native {{suffix}}","requiredCapabilities":["cap-{{suffix}}"]} }""", cancellationToken);
        var taskId = created.RootElement.GetProperty("result").GetProperty("id").GetString();
        using var next = await WebSocketText.CallAsync(worker, """{"jsonrpc":"2.0","id":3,"method":"vibe/task/next","params":{}}""", cancellationToken);
        using var done = await WebSocketText.CallAsync(worker, $$"""{"jsonrpc":"2.0","id":4,"method":"vibe/task/complete","params":{"taskId":"{{taskId}}","result":"ok"} }""", cancellationToken);
        using var badId = await WebSocketText.CallAsync(worker, """{"jsonrpc":"2.0","id":5,"method":"vibe/task/get","params":{"taskId":"nope"}}""", cancellationToken);

        // Assert
        Assert.Equal(taskId, next.RootElement.GetProperty("result").GetProperty("task").GetProperty("id").GetString());
        Assert.Equal("Completed", done.RootElement.GetProperty("result").GetProperty("status").GetString());
        Assert.Equal(-32602, badId.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("'taskId' must be a task id", badId.RootElement.GetProperty("error").GetProperty("message").GetString());
        // A ready task may be pushed again when the scheduler records why it waits; statuses still come in order.
        var statuses = new List<string>();
        while (statuses.LastOrDefault() != "Completed")
        {
            using var push = await NextTaskPushAsync(watcher, taskId!, cancellationToken);
            var status = push.RootElement.GetProperty("params").GetProperty("status").GetString()!;
            if (statuses.LastOrDefault() != status)
            {
                statuses.Add(status);
            }
        }

        Assert.Equal(["Ready", "Running", "Completed"], statuses);
    }

    [Fact]
    public async Task ProjectProfileAndWorkerTwins_OverTheNativeApi_AnswerLikeTheTools()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var socket = await ConnectAsync(cancellationToken);
        using var directory = new TempDirectory();
        var name = $"native-{Guid.NewGuid():N}"[..20];
        var path = JsonSerializer.Serialize(directory.Path);

        // Act
        using var project = await WebSocketText.CallAsync(socket, $$"""{"jsonrpc":"2.0","id":1,"method":"vibe/project/upsert","params":{"name":"{{name}}","workingDirectory":{{path}},"maxConcurrentWorkers":2} }""", cancellationToken);
        using var projects = await WebSocketText.CallAsync(socket, """{"jsonrpc":"2.0","id":2,"method":"vibe/project/list"}""", cancellationToken);
        using var profile = await WebSocketText.CallAsync(socket, $$"""{"jsonrpc":"2.0","id":3,"method":"vibe/profile/upsert","params":{"name":"{{name}}","capabilities":["go"],"timeoutSeconds":5} }""", cancellationToken);
        using var workers = await WebSocketText.CallAsync(socket, """{"jsonrpc":"2.0","id":4,"method":"vibe/worker/list","params":{"runningOnly":true}}""", cancellationToken);
        using var stop = await WebSocketText.CallAsync(socket, $$"""{"jsonrpc":"2.0","id":5,"method":"vibe/worker/stop","params":{"workerId":"{{Guid.NewGuid()}}"} }""", cancellationToken);

        // Assert
        Assert.Equal(2, project.RootElement.GetProperty("result").GetProperty("maxConcurrentWorkers").GetInt32());
        Assert.Contains(projects.RootElement.GetProperty("result").EnumerateArray(), p => p.GetProperty("name").GetString() == name);
        Assert.Contains("'timeoutSeconds' must be between 10", profile.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(workers.RootElement.GetProperty("result").EnumerateArray());
        Assert.Contains("is not running", stop.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task LastChildEnds_ParentCreatorIsToldWithTheChildrensResults_AndGetTaskListsThem()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var watcher = await ConnectAsync(cancellationToken);
        (await WebSocketText.CallAsync(watcher, """{"jsonrpc":"2.0","id":1,"method":"vibe/events/subscribe","params":{"kinds":["task.updated"]}}""", cancellationToken)).Dispose();
        using var worker = await ConnectAsync(cancellationToken);
        (await WebSocketText.CallAsync(worker, $$"""{"jsonrpc":"2.0","id":1,"method":"vibe/agent/register","params":{"name":"kid-{{suffix}}","capabilities":["kid-{{suffix}}"]} }""", cancellationToken)).Dispose();
        using var parent = await WebSocketText.CallAsync(worker, $$"""{"jsonrpc":"2.0","id":2,"method":"vibe/task/create","params":{"title":"Epic {{suffix}}","requiredCapabilities":["nobody-{{suffix}}"]} }""", cancellationToken);
        var parentId = parent.RootElement.GetProperty("result").GetProperty("id").GetString();

        // Act
        string[] titles = ["Lexer", "Parser"];
        foreach (var child in titles)
        {
            (await WebSocketText.CallAsync(worker, $$"""{"jsonrpc":"2.0","id":3,"method":"vibe/task/create","params":{"title":"{{child}} {{suffix}}","requiredCapabilities":["kid-{{suffix}}"],"parentTaskId":"{{parentId}}","maxAttempts":1} }""", cancellationToken)).Dispose();
        }

        foreach (var child in titles)
        {
            using var next = await WebSocketText.CallAsync(worker, """{"jsonrpc":"2.0","id":4,"method":"vibe/task/next","params":{}}""", cancellationToken);
            var taskId = next.RootElement.GetProperty("result").GetProperty("task").GetProperty("id").GetString();
            var (method, report) = child == "Lexer" ? ("complete", $"\"result\":\"{child} done\"") : ("fail", "\"reason\":\"grammar is ambiguous\",\"retryable\":false");
            (await WebSocketText.CallAsync(worker, $$"""{"jsonrpc":"2.0","id":5,"method":"vibe/task/{{method}}","params":{"taskId":"{{taskId}}",{{report}}} }""", cancellationToken)).Dispose();
        }

        // Other tests of this class leave a project behind, so the parent may be escalated too (its worker cannot
        // start here); the child's escalation is the one looked for.
        using var escalated = await NextPushAsync(watcher, "vibe/task/escalated", cancellationToken,
            push => push.GetProperty("task").GetProperty("title").GetString() == $"Parser {suffix}");
        using var told = await NextPushAsync(watcher, "vibe/task/children-finished", cancellationToken);
        using var details = await WebSocketText.CallAsync(worker, $$"""{"jsonrpc":"2.0","id":6,"method":"vibe/task/get","params":{"taskId":"{{parentId}}"} }""", cancellationToken);

        // Assert
        var pushed = told.RootElement.GetProperty("params");
        Assert.Equal(parentId, pushed.GetProperty("parent").GetProperty("id").GetString());
        var children = pushed.GetProperty("children").EnumerateArray().Select(c => (c.GetProperty("status").GetString(), c.TryGetProperty("result", out var r) ? r.GetString() : null)).ToList();
        Assert.Equal([("Completed", "Lexer done"), ("Failed", null)], children);
        Assert.Equal(2, details.RootElement.GetProperty("result").GetProperty("children").GetArrayLength());
        Assert.Equal($"Parser {suffix}", escalated.RootElement.GetProperty("params").GetProperty("task").GetProperty("title").GetString());
        Assert.Equal("grammar is ambiguous", escalated.RootElement.GetProperty("params").GetProperty("reason").GetString());
    }

    private static async Task<JsonDocument> NextPushAsync(
        WebSocket socket, string method, CancellationToken cancellationToken, Func<JsonElement, bool>? matches = null)
    {
        while (true)
        {
            var frame = JsonDocument.Parse(await WebSocketText.ReceiveAsync(socket, cancellationToken));
            if (frame.RootElement.TryGetProperty("method", out var name) && name.GetString() == method
                && (matches is null || matches(frame.RootElement.GetProperty("params"))))
            {
                return frame;
            }

            frame.Dispose();
        }
    }

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(fixture.Server.AgentWebSocketUrl, "/ws"), cancellationToken);
        return socket;
    }


    private static async Task<JsonDocument> NextTaskPushAsync(WebSocket socket, string taskId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = JsonDocument.Parse(await WebSocketText.ReceiveAsync(socket, cancellationToken));
            if (frame.RootElement.TryGetProperty("method", out var method) && method.GetString() == "vibe/task/updated"
                && frame.RootElement.GetProperty("params").GetProperty("id").GetString() == taskId)
            {
                return frame;
            }

            frame.Dispose();
        }
    }
}
