using System.Net.WebSockets;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Real Claude Code connected over Streamable HTTP does not end its MCP session when it exits; its agent must still
/// go offline soon after, not at the 30-minute idle timeout.
/// </summary>
public sealed class ClaudePresenceTests
{
    [Fact]
    public async Task ClaudeCodeExits_ItsStreamableHttpAgentGoesOffline_WithinTheGrace()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var name = $"cc-{Guid.NewGuid():N}"[..16];
        await using var model = await ScriptedModel.StartAsync(request => ScriptedModel.ToolResultCount(request) == 0
            ? ModelTurn.Call("mcp__vibe-ensemble__register_agent", new { name, capabilities = new[] { "csharp" } })
            : ModelTurn.Say("Registered."), cancellationToken);
        using var data = new TempDirectory();
        using var home = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken, "--VibeEnsemble:Mcp:StreamGoneAfter", "00:00:01");
        using var watcher = new ClientWebSocket();
        await watcher.ConnectAsync(new Uri(server.AgentWebSocketUrl, "/ws"), cancellationToken);
        var config = home.File("mcp.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            mcpServers = new Dictionary<string, object> { ["vibe-ensemble"] = new { type = "http", url = new Uri(server.AgentUrl, "/mcp?role=agent").ToString() } },
        }), cancellationToken);

        // Act: one headless run that registers, answers and exits.
        var run = await ProcessRunner.RunAsync(WorkerHarness.ClaudePath,
            ["-p", "Register with the ensemble.", "--output-format", "json", "--mcp-config", config, "--strict-mcp-config",
                "--allowedTools", "mcp__vibe-ensemble"],
            home.Path, cancellationToken, new Dictionary<string, string?>
            {
                ["HOME"] = home.Path, ["ANTHROPIC_BASE_URL"] = model.BaseUrl.ToString().TrimEnd('/'), ["ANTHROPIC_API_KEY"] = "sk-ant-test",
                ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1", ["ENABLE_TOOL_SEARCH"] = "false", ["CLAUDE_CODE_OAUTH_TOKEN"] = null,
            });

        // Assert
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(("vibe/agent/registered", name), await NextAgentPushAsync(watcher, name, cancellationToken));
        Assert.Equal(("vibe/agent/offline", name), await NextAgentPushAsync(watcher, name, cancellationToken));
    }

    private static async Task<(string Method, string Name)> NextAgentPushAsync(WebSocket socket, string name, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        while (true)
        {
            using var frame = JsonDocument.Parse(await WebSocketText.ReceiveAsync(socket, timeout.Token));
            if (frame.RootElement.TryGetProperty("method", out var method) && method.GetString()!.StartsWith("vibe/agent/", StringComparison.Ordinal)
                && frame.RootElement.GetProperty("params").GetProperty("name").GetString() == name)
            {
                return (method.GetString()!, name);
            }
        }
    }
}
