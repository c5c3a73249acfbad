using System.Net;
using System.Text;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>Oversized input is refused with a clear message before any real work, and the server stays well.</summary>
public sealed class InputBoundsTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task RegisterAgent_200000Capabilities_IsRefusedNamingTheLimit()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new() { Endpoint = new Uri(fixture.Server.AgentUrl, "/mcp"), Name = "bounds" }),
            cancellationToken: cancellationToken);
        var capabilities = Enumerable.Range(0, 200_000).Select(i => $"cap-{i}").ToArray();

        // Act
        var result = await client.CallToolAsync("register_agent",
            new Dictionary<string, object?> { ["name"] = "hoarder", ["capabilities"] = capabilities }, cancellationToken: cancellationToken);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("'capabilities' lists 200000 entries; it may hold at most 64.",
            string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text)));
    }

    [Theory]
    [InlineData("/mcp")]
    [InlineData("/api/tasks")]
    public async Task Post_50MegabyteBody_Is413ProblemDetails_AndTheServerStaysHealthy(string path)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var http = new HttpClient();
        var body = new StringBuilder("{\"title\":\"").Append('x', 50 * 1024 * 1024).Append("\"}").ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Server.AgentUrl, path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        // The server can then refuse before the 50 MB are sent, and the client reads the answer rather than a reset.
        request.Headers.ExpectContinue = true;

        // Act
        using var response = await http.SendAsync(request, cancellationToken);
        using var health = await http.GetAsync(new Uri(fixture.Server.AgentUrl, "/api/health"), cancellationToken);

        // Assert
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
