using System.Net.WebSockets;
using System.Text.Json;
using ModelContextProtocol.Client;

namespace VibeEnsemble.Tests.Support;

/// <summary>
/// A real server process set up to spawn the pinned Claude Code (tests/js) against a <see cref="ScriptedModel"/>,
/// with an isolated HOME, a project directory, a coordinator MCP client and a /ws connection that hears every task
/// change, so a test can wait for a status without polling.
/// </summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _home = new();
    private ClientWebSocket _events = new();
    private string[] _arguments = [];

    private WorkerHarness(TempDirectory project) => Project = project;

    public TempDirectory Project { get; }

    public string DataPath => _data.Path;

    public ServerProcess Server { get; private set; } = null!;

    public McpClient Coordinator { get; private set; } = null!;

    private bool HasClient => Coordinator is not null;

    public static string ClaudePath => Path.Combine(RepoPaths.JsDirectory, "node_modules", ".bin", "claude");

    public static async Task<WorkerHarness> StartAsync(ScriptedModel model, CancellationToken cancellationToken, params string[] extraArguments)
    {
        var harness = new WorkerHarness(new TempDirectory());
        const string env = "--VibeEnsemble:Workers:Environment:";
        harness._arguments =
        [
            "--VibeEnsemble:Workers:ClaudePath", ClaudePath,
            "--VibeEnsemble:Workers:StopGracePeriod", "00:00:01",
            "--VibeEnsemble:Workers:ScheduleInterval", "00:00:00.5",
            "--VibeEnsemble:Jobs:PollInterval", "00:00:00.3",
            env + "ANTHROPIC_BASE_URL", model.BaseUrl.ToString().TrimEnd('/'),
            env + "ANTHROPIC_API_KEY", "sk-ant-test-not-a-real-key",
            env + "CLAUDE_CODE_OAUTH_TOKEN", "",
            env + "HOME", harness._home.Path,
            env + "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
            env + "DISABLE_TELEMETRY", "1",
            env + "DISABLE_ERROR_REPORTING", "1",
            env + "CLAUDE_CODE_MAX_RETRIES", "0",
            .. extraArguments,
        ];
        harness.Server = await ServerProcess.StartAsync(harness._data.Path, cancellationToken, harness._arguments);
        try
        {
            await harness.ConnectAsync(cancellationToken);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the server process alone (its workers live on), starts it again on the same data, reconnects.</summary>
    public async Task CrashAndRestartAsync(CancellationToken cancellationToken)
    {
        await Server.CrashAsync(cancellationToken);
        await Server.DisposeAsync();
        await Coordinator.DisposeAsync();
        _events.Dispose();
        _events = new ClientWebSocket();
        Server = await ServerProcess.StartAsync(_data.Path, cancellationToken, _arguments);
        await ConnectAsync(cancellationToken);
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _events.ConnectAsync(new Uri(Server.AgentWebSocketUrl, "/ws"), cancellationToken);
        Coordinator = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(Server.AgentUrl, "/mcp"), Name = "coordinator" }),
            cancellationToken: cancellationToken);
    }

    public Task<JsonElement> CallAsync(string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken) =>
        Coordinator.CallSucceedingAsync(tool, arguments, cancellationToken);

    /// <summary>Creates the project on the harness's directory and a profile with no retry delay.</summary>
    public async Task SetUpProjectAsync(
        CancellationToken cancellationToken, int maxConcurrentWorkers = 4, int timeoutSeconds = 120, string[]? allowedTools = null,
        string? permissionMode = null)
    {
        await CallAsync("upsert_project", new() { ["name"] = "demo", ["workingDirectory"] = Project.Path, ["rules"] = "Never touch main.", ["maxConcurrentWorkers"] = maxConcurrentWorkers }, cancellationToken);
        await CallAsync("upsert_profile", new()
        {
            ["name"] = "default", ["capabilities"] = new[] { "*" }, ["retryBaseDelaySeconds"] = 0, ["retryMaxDelaySeconds"] = 0,
            ["timeoutSeconds"] = timeoutSeconds, ["maxConcurrentWorkers"] = maxConcurrentWorkers, ["allowedTools"] = allowedTools,
            ["permissionMode"] = permissionMode,
        }, cancellationToken);
    }

    /// <summary>Waits (pushed over /ws, no polling) until the task reaches <paramref name="status"/>, and returns it.</summary>
    public async Task<JsonElement> WaitForTaskAsync(string taskId, string status, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var current = await CallAsync("get_task", new() { ["taskId"] = taskId }, timeout.Token);
        if (current.GetProperty("task").GetProperty("status").GetString() == status)
        {
            return current.GetProperty("task");
        }

        while (true)
        {
            using var frame = JsonDocument.Parse(await WebSocketText.ReceiveAsync(_events, timeout.Token));
            if (frame.RootElement.TryGetProperty("method", out var method) && method.GetString() == "vibe/task/updated"
                && frame.RootElement.GetProperty("params") is var task && task.GetProperty("id").GetString() == taskId
                && task.GetProperty("status").GetString() == status)
            {
                return task.Clone();
            }
        }
    }

    /// <summary>The next push over /ws whose method is <paramref name="method"/> and whose params match.</summary>
    public async Task<JsonElement> WaitForPushAsync(string method, Func<JsonElement, bool> matches, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            using var frame = JsonDocument.Parse(await WebSocketText.ReceiveAsync(_events, timeout.Token));
            if (frame.RootElement.TryGetProperty("method", out var name) && name.GetString() == method
                && frame.RootElement.GetProperty("params") is var parameters && matches(parameters))
            {
                return parameters.Clone();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The server first: whatever else fails, no process outlives the test.
        await Server.DisposeAsync();
        if (HasClient)
        {
            await Coordinator.DisposeAsync();
        }

        _events.Dispose();
        Project.Dispose();
        _home.Dispose();
        _data.Dispose();
    }
}
