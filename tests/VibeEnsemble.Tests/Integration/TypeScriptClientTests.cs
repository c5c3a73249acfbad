using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>The official TypeScript MCP SDK client, over every transport we serve.</summary>
public sealed class TypeScriptClientTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Theory]
    [InlineData("http", "/mcp")]
    [InlineData("sse", "/sse")]
    [InlineData("ws", "/mcp/ws")]
    [InlineData("stdio", null)]
    public async Task TypeScriptSdk_RegisterListAndLeave_SeesTheAgentThenItGoesOffline(string transport, string? path)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = fixture.Server;
        var name = $"ts-{transport}-{Guid.NewGuid():N}"[..20];
        string[] target = transport switch
        {
            "stdio" => ["dotnet", RepoPaths.ServerAssembly, "--stdio", "--data-dir", server.DataDirectory],
            "ws" => [new Uri(server.AgentWebSocketUrl, path).ToString()],
            _ => [new Uri(server.AgentUrl, path).ToString()],
        };

        await using var watcher = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);

        // Act
        var result = await NodeScripts.RunAsync(
            ["clients/register-agent.mjs", "--name", name, "--capability", "typescript", "--capability", transport,
                transport, .. target],
            cancellationToken);

        // Assert
        Assert.True(result.ExitCode == 0, result.ToString());
        using var output = JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]);
        var root = output.RootElement;
        Assert.Equal("vibe-ensemble", root.GetProperty("serverInfo").GetProperty("name").GetString());
        var tools = root.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("register_agent", tools);
        Assert.Contains("list_agents", tools);
        Assert.Contains("heartbeat", tools);

        var registered = root.GetProperty("registered").Deserialize<AgentDto>(Json.Options)!;
        Assert.Equal(name, registered.Name);
        Assert.Equal(["typescript", transport], registered.Capabilities);
        Assert.Equal(transport, registered.Transport);
        Assert.Equal("Online", registered.Status);
        Assert.Equal("vibe-ensemble-ts-probe", registered.ClientName);

        var listed = root.GetProperty("agents").Deserialize<AgentDto[]>(Json.Options)!;
        Assert.Contains(listed, a => a.Id == registered.Id && a.Name == name);

        // The client has gone: its agent is offline, and the dashboard process sees it whichever process served
        // the client. A stdio server is another process; the server takes in its changes from the database at
        // every flush (200 ms for this fixture).
        var offline = await watcher.WaitForNotificationAsync("vibe/agent/offline", a => a.Id == registered.Id, cancellationToken);
        Assert.Equal("Offline", offline.Status);
        Assert.Equal(name, offline.Name);

        var afterwards = await server.GetJsonAsync<AgentDto[]>("/api/agents", cancellationToken);
        Assert.Equal("Offline", afterwards!.Single(a => a.Id == registered.Id).Status);
    }
}
