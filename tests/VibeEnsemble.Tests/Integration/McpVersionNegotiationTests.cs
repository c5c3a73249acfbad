using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>Protocol version negotiation at <c>initialize</c>, over Streamable HTTP and WebSocket.</summary>
public sealed class McpVersionNegotiationTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private static readonly string[] s_supported = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

    [Theory]
    [InlineData("2024-11-05")]
    [InlineData("2025-03-26")]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    public async Task Initialize_SupportedVersion_IsEchoed(string version)
    {
        // Act
        var negotiated = await InitializeOverHttpAsync(version, TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(version, negotiated);
    }

    [Fact]
    public async Task Initialize_UnknownVersion_AnswersWithOneTheServerSupports()
    {
        // Act
        var negotiated = await InitializeOverHttpAsync("1999-01-01", TestContext.Current.CancellationToken);

        // Assert
        Assert.Contains(negotiated, s_supported);
    }

    private async Task<string> InitializeOverHttpAsync(string version, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.AgentUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(JsonSerializer.Serialize(new
            {
                jsonrpc = "2.0",
                id = 1,
                method = "initialize",
                @params = new { protocolVersion = version, capabilities = new { }, clientInfo = new { name = "negotiation-test", version = "1" } },
            }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.True(response.Headers.Contains("Mcp-Session-Id"), "A stateful session was expected.");

        // The reply may be plain JSON or one SSE event carrying it.
        var json = body.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal))
            .Select(l => l["data:".Length..].Trim()).FirstOrDefault(l => l.Length > 0) ?? body;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("result").GetProperty("protocolVersion").GetString()!;
    }
}
