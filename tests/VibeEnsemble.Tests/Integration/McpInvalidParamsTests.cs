using System.Net.WebSockets;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// Parameters of the wrong shape are the caller's mistake: they are answered -32602 saying where, not -32603 "An error
/// occurred." (the SDK's answer for any exception while reading them), and the session goes on. Sent as raw frames:
/// the SDK's own client refuses to send most of them.
/// </summary>
public sealed class McpInvalidParamsTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    public static TheoryData<string, string, string> Malformed => new()
    {
        { "tools/list", "\"all\"", "'params' must be an object" },
        { "tools/call", "[\"send_message\"]", "'params' must be an object" },
        { "tools/call", """{"name":5}""", "'$.name'" },
        { "tools/call", """{"name":"heartbeat","arguments":"none"}""", "'$.arguments'" },
        { "resources/read", """{"uri":{"path":"x"}}""", "'$.uri'" },
        { "prompts/get", """{"name":["worker"]}""", "'$.name'" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Request_ParamsOfTheWrongShape_IsInvalidParamsNamingWhere(string method, string parameters, string named)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("mcp");
        await socket.ConnectAsync(new Uri(fixture.Server.AgentWebSocketUrl, "/mcp/ws"), cancellationToken);
        (await WebSocketText.CallAsync(socket, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"params-test","version":"1"}}}""", cancellationToken)).Dispose();
        await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", cancellationToken);

        // Act
        using var refused = await WebSocketText.CallAsync(socket, $$"""{"jsonrpc":"2.0","id":2,"method":"{{method}}","params":{{parameters}}}""", cancellationToken);
        using var after = await WebSocketText.CallAsync(socket, """{"jsonrpc":"2.0","id":3,"method":"tools/list"}""", cancellationToken);

        // Assert
        var error = refused.RootElement.GetProperty("error");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, after.RootElement.GetProperty("result").GetProperty("tools").ValueKind);
    }

    [Theory]
    [InlineData("\"first\"", "'$'")]
    [InlineData("""{"protocolVersion":5,"capabilities":{},"clientInfo":{"name":"t","version":"1"}}""", "'$.protocolVersion'")]
    [InlineData("""{"protocolVersion":"2025-06-18","capabilities":[],"clientInfo":{"name":"t","version":"1"}}""", "'$.capabilities'")]
    public async Task Initialize_OverStreamableHttp_ParamsOfTheWrongShape_Is400WithInvalidParams(string parameters, string named)
    {
        // Arrange: the SDK reads an initialize request's parameters before any session handles them.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Server.AgentUrl, "/mcp"))
        {
            Content = new StringContent($$"""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{parameters}}}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");

        // Act
        using var response = await http.SendAsync(request, cancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));

        // Assert
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = body.RootElement.GetProperty("error");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("2.0", body.RootElement.GetProperty("jsonrpc").GetString());
    }
}
