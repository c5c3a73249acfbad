using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>Refused tool calls come back as tool errors the model can read, not as opaque failures.</summary>
public sealed class McpToolErrorTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Theory]
    [InlineData("register_agent", "name", "   ", "'name' is required.")]
    [InlineData("list_agents", "status", "sleepy", "Unknown status 'sleepy'; use Online, Busy, Stale or Offline.")]
    [InlineData("heartbeat", "name", "never-registered", "Agent 'never-registered' was not found.")]
    public async Task Tool_BadArgument_ReturnsReadableToolError(string tool, string argument, string value, string message)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(fixture.Server.AgentUrl, "/mcp"), Name = "errors" }),
            cancellationToken: cancellationToken);

        // Act
        var result = await client.CallToolAsync(tool, new Dictionary<string, object?> { [argument] = value },
            cancellationToken: cancellationToken);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(message, Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Contains("register_agent", (await client.ListToolsAsync(cancellationToken: cancellationToken)).Select(t => t.Name));
    }

    [Theory]
    [InlineData("register_agent", "{}", "'name' is required: Unique agent name")]
    [InlineData("register_agent", """{"name":42}""", "'name' must be a string; got a number.")]
    [InlineData("register_agent", """{"name":"x","capabilities":"csharp"}""", "'capabilities' must be an array of strings, e.g. [\"csharp\"]; got a string.")]
    [InlineData("register_agent", """{"name":"x","capabilities":["csharp",7]}""", "'capabilities' must be an array of strings")]
    [InlineData("fail_task", """{"reason":"r","retryable":"yes"}""", "'retryable' must be true or false; got a string.")]
    [InlineData("get_next_task", """{"waitSeconds":1.5}""", "'waitSeconds' must be a whole number; got a number.")]
    public async Task Tool_ArgumentsThatDoNotFitTheSchema_AreRefusedNamingTheArgument(string tool, string arguments, string message)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(fixture.Server.AgentUrl, "/mcp"), Name = "errors" }),
            cancellationToken: cancellationToken);
        var parsed = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)!;

        // Act
        var result = await client.CallToolAsync(tool, parsed, cancellationToken: cancellationToken);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(message, Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }
}
