using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_WithOpenWebSockets_ClosesThemWith1001AndLeavesAgentsOffline()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        await using var rpc = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
        await rpc.RegisterAsync("long-runner", ["bash"], cancellationToken);
        using var mcp = new ClientWebSocket();
        mcp.Options.AddSubProtocol("mcp");
        await mcp.ConnectAsync(new Uri(server.AgentWebSocketUrl, "/mcp/ws"), cancellationToken);
        var mcpClosed = mcp.ReceiveAsync(new byte[1024], cancellationToken);

        // Act
        var exitCode = await server.StopGracefullyAsync(cancellationToken);

        // Assert
        Assert.Equal(0, exitCode);
        // Sessions ended by the server itself, not cut off when Kestrel's shutdown timeout ran out.
        Assert.DoesNotContain("ShutdownTimeout", server.Output);
        var close = await mcpClosed;
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close.CloseStatus);

        // The structured log (one JSON event per line) recorded the agent's arrival with its properties.
        var log = Assert.Single(Directory.GetFiles(Path.Combine(data.Path, "logs"), "vibe-ensemble-*.clef"));
        var events = (await File.ReadAllLinesAsync(log, cancellationToken)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(events, e => e.TryGetProperty("AgentName", out var name) && name.GetString() == "long-runner"
            && e.GetProperty("Transport").GetString() == "rpc");

        await using var db = TestDatabase.Open(TestDatabase.PathIn(data.Path));
        var agent = await db.Agents.SingleAsync(a => a.Name == "long-runner", cancellationToken);
        Assert.Equal(AgentStatus.Offline, agent.Status);
        Assert.Null(agent.ConnectionId);
    }
}
