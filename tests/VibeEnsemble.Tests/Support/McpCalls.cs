using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace VibeEnsemble.Tests.Support;

internal static class McpCalls
{
    /// <summary>An MCP client of the server's Streamable HTTP endpoint (<c>/mcp</c>), not registered yet.</summary>
    public static Task<McpClient> ConnectHttpAsync(ServerProcess server, string? name, CancellationToken cancellationToken) =>
        McpClient.CreateAsync(new HttpClientTransport(new() { Endpoint = new Uri(server.AgentUrl, "/mcp"), Name = name }), cancellationToken: cancellationToken);

    /// <summary>Calls a tool that must succeed, and returns its result (structured content, else the text as JSON).</summary>
    public static async Task<JsonElement> CallSucceedingAsync(
        this McpClient client, string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
        var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
        Assert.True(result.IsError is not true, text);
        return result.StructuredContent is { } structured ? structured.Deserialize<JsonElement>() : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The text of a tool result (the message of a refused call).</summary>
    public static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}
