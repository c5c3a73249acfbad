using System.Text.Json;
using ModelContextProtocol.Client;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// A message is pushed into its recipient's MCP session as <c>notifications/claude/channel</c>, which the official
/// TypeScript SDK client receives (over Streamable HTTP and WebSocket); the server declares the capability.
/// </summary>
public sealed class McpChannelTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Theory]
    [InlineData("http", "/mcp")]
    [InlineData("ws", "/mcp/ws")]
    public async Task MessageToAnMcpAgent_ArrivesAsAChannelNotification(string transport, string path)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = fixture.Server;
        var name = $"chan-{transport}-{Guid.NewGuid():N}"[..20];
        var url = transport == "ws" ? new Uri(server.AgentWebSocketUrl, path) : new Uri(server.AgentUrl, path);
        var listener = NodeScripts.RunAsync(["clients/channel-listener.mjs", "--name", name, transport, url.ToString()], cancellationToken);
        await using var sender = await McpCalls.ConnectHttpAsync(server, "sender", cancellationToken);
        await WaitForAgentAsync(sender, name, listener, cancellationToken);

        // Act
        var sent = await sender.CallSucceedingAsync("send_message", new() { ["to"] = name, ["body"] = "deploy is frozen until 14:00", ["subject"] = "heads-up" }, cancellationToken);
        var result = await listener;

        // Assert
        Assert.True(result.ExitCode == 0, result.ToString());
        using var output = JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]);
        Assert.True(output.RootElement.GetProperty("capability").GetBoolean());
        var parameters = output.RootElement.GetProperty("notification").GetProperty("params");
        Assert.Equal("heads-up\n\ndeploy is frozen until 14:00", parameters.GetProperty("content").GetString());
        Assert.Equal(sent.GetProperty("id").GetString(), parameters.GetProperty("meta").GetProperty("message_id").GetString());
        // The sender never registered, so it writes as the person.
        Assert.Equal("human", parameters.GetProperty("meta").GetProperty("from").GetString());
    }

    /// <summary>Until the listener has registered (documented polling: its only output comes at the end).</summary>
    private static async Task WaitForAgentAsync(McpClient client, string name, Task listener, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 300 && !listener.IsCompleted; i++)
        {
            var agents = await client.CallSucceedingAsync("list_agents", new() { ["status"] = "Online" }, cancellationToken);
            if (agents.EnumerateArray().Any(a => a.GetProperty("name").GetString() == name))
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"{name} never registered: {(listener.IsCompleted ? "the listener exited" : "timed out")}");
    }
}
