using System.Net.WebSockets;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// A WebSocket client that floods calls and does not read is given up on once a reply has waited the stall time,
/// logged once and counted (/api/stats): closed with 1008 as soon as it reads again, cut off if it never does;
/// meanwhile a well-behaved client on the same server keeps being answered quickly and the server's memory stays
/// bounded.
/// </summary>
public sealed class SlowReaderTests
{
    [Theory]
    [InlineData("/ws", "ws", """{"jsonrpc":"2.0","id":1,"method":"vibe/agent/list","params":{"pad":"PAD"}}""", "Native RPC client read no reply for 00:00:02; closing it with 1008.")]
    [InlineData("/mcp/ws", "mcp", """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"pad":"PAD"}}}""", "read no reply for 00:00:02; closing it with 1008.")]
    public async Task ClientThatNeverReads_IsDisconnectedAfterTheStallTime_OthersKeepWorking(string path, string kind, string call, string logged)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken, "--VibeEnsemble:Connections:SendStallTimeout", "00:00:02");
        using var flooder = await ConnectAsync(server, path, kind, cancellationToken);
        using var polite = await ConnectAsync(server, path, kind, cancellationToken);
        var request = call.Replace("PAD", new string('p', 2_000), StringComparison.Ordinal);
        var politeCall = call.Replace("PAD", "", StringComparison.Ordinal);
        var memoryAtStart = server.ResidentMegabytes;
        var peakMemory = memoryAtStart;
        var roundTrips = new List<double>();

        // Act: send until the server gives up on this client (the send fails once the socket is aborted), while the
        // polite client keeps calling and the server's memory is watched.
        using var flooding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var politeLoop = Task.Run(async () =>
        {
            while (!flooding.IsCancellationRequested)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                (await WebSocketText.CallAsync(polite, politeCall, cancellationToken)).Dispose();
                roundTrips.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                peakMemory = Math.Max(peakMemory, server.ResidentMegabytes);
                await Task.Delay(50, cancellationToken);
            }
        }, cancellationToken);
        var refused = await Record.ExceptionAsync(async () =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TestConstants.DefaultTimeout);
            // A new id for every call, as a real client sends them; they pile up server-side if anything does.
            for (var id = 100; ; id++)
            {
                await WebSocketText.SendAsync(flooder, request.Replace("\"id\":1,", $"\"id\":{id},", StringComparison.Ordinal), timeout.Token);
            }
        });
        await flooding.CancelAsync();
        await politeLoop;
        using var answer = await WebSocketText.CallAsync(polite, politeCall, cancellationToken);
        var wasLogged = await Record.ExceptionAsync(() => server.WaitForOutputAsync(logged, cancellationToken)) is null;
        Assert.True(wasLogged, server.Output[^Math.Min(server.Output.Length, 3000)..]);
        using var api = server.CreateDashboardClient();
        var stats = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(api, "/api/stats", cancellationToken);

        // Assert
        Assert.IsType<WebSocketException>(refused, exactMatch: false);
        Assert.True(answer.RootElement.TryGetProperty("result", out _), answer.RootElement.GetRawText());
        Assert.Single(server.Output.Split('\n'), line => line.Contains(logged, StringComparison.Ordinal));
        Assert.Equal(1, stats.GetProperty("stalledClients").GetInt64());
        Assert.True(peakMemory - memoryAtStart < 100, $"memory grew from {memoryAtStart:F0} to {peakMemory:F0} MiB while flooded");
        roundTrips.Sort();
        Assert.True(roundTrips.Count >= 5 && roundTrips[roundTrips.Count / 2] < 50,
            $"the polite client's round trips while another flooded: {string.Join(", ", roundTrips.Select(r => r.ToString("F1")))} ms");
    }

    [Theory]
    [InlineData("/ws", "ws", """{"jsonrpc":"2.0","id":1,"method":"vibe/agent/list","params":{"pad":"PAD"}}""")]
    [InlineData("/mcp/ws", "mcp", """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"pad":"PAD"}}}""")]
    public async Task ClientThatStopsReading_ReadsAgain_FindsTheConnectionClosedWith1008(string path, string kind, string call)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken, "--VibeEnsemble:Connections:SendStallTimeout", "00:00:02");
        using var flooder = await ConnectAsync(server, path, kind, cancellationToken);
        var request = call.Replace("PAD", new string('p', 2_000), StringComparison.Ordinal);
        using var stopFlooding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var flood = Task.Run(async () =>
        {
            for (var id = 100; !stopFlooding.IsCancellationRequested; id++)
            {
                await WebSocketText.SendAsync(flooder, request.Replace("\"id\":1,", $"\"id\":{id},", StringComparison.Ordinal), stopFlooding.Token);
            }
        }, cancellationToken);

        // Act: once the server has given up on it, the client reads again, to the end.
        await server.WaitForOutputAsync("read no reply for 00:00:02; closing it with 1008.", cancellationToken);
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult received;
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        reading.CancelAfter(TestConstants.DefaultTimeout);
        var frames = 0;
        try
        {
            do
            {
                received = await flooder.ReceiveAsync(buffer, reading.Token);
                frames++;
            }
            while (received.MessageType != WebSocketMessageType.Close);
        }
        catch (WebSocketException ex)
        {
            throw new InvalidOperationException($"after {frames} frames: {ex.Message}\n{server.Output[^Math.Min(server.Output.Length, 4000)..]}");
        }

        await stopFlooding.CancelAsync();
        await Record.ExceptionAsync(() => flood);

        // Assert
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, received.CloseStatus);
        Assert.Equal("Replies were not read; disconnected.", received.CloseStatusDescription);
    }

    [Fact]
    public async Task LegacySseClientThatStopsReadingItsStream_IsHeldBack_MemoryStaysBounded()
    {
        // Arrange: open the event stream, read only the endpoint event, then post calls whose replies go to that stream.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        using var client = new HttpClient { BaseAddress = server.AgentUrl, Timeout = Timeout.InfiniteTimeSpan };
        using var stream = await client.GetAsync("/sse", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(cancellationToken));
        string? endpoint = null;
        while (endpoint is null && await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            endpoint = line.StartsWith("data: ", StringComparison.Ordinal) ? line[6..] : null;
        }

        var memoryAtStart = server.ResidentMegabytes;
        var peakMemory = memoryAtStart;
        var padding = new string('p', 2_000);
        await PostAsync(client, endpoint!, """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", cancellationToken);
        await PostAsync(client, endpoint!, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", cancellationToken);

        // Act: 10,000 calls, none of whose replies are read.
        var refused = 0;
        for (var id = 1; id <= 10_000 && refused == 0; id++)
        {
            var status = await PostAsync(client, endpoint!, $$"""{"jsonrpc":"2.0","id":{{id}},"method":"tools/list","params":{"_meta":{"pad":"{{padding}}"} } }""", cancellationToken);
            refused = status >= 400 ? status : 0;
            if (id % 500 == 0)
            {
                peakMemory = Math.Max(peakMemory, server.ResidentMegabytes);
            }
        }

        // Assert: held back with 429 (or cut off), and the server never held the replies.
        Assert.True(refused is 429 or 599, $"the posts were never refused (last status {refused})");
        Assert.True(peakMemory - memoryAtStart < 100, $"memory grew from {memoryAtStart:F0} to {peakMemory:F0} MiB");
    }

    private static async Task<int> PostAsync(HttpClient client, string endpoint, string body, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.PostAsync(endpoint, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 599;
        }
    }

    private static async Task<ClientWebSocket> ConnectAsync(ServerProcess server, string path, string kind, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        if (kind == "mcp")
        {
            socket.Options.AddSubProtocol("mcp");
        }

        await socket.ConnectAsync(new Uri(server.AgentWebSocketUrl, path), cancellationToken);
        if (kind == "mcp")
        {
            (await WebSocketText.CallAsync(socket, """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", cancellationToken)).Dispose();
            await WebSocketText.SendAsync(socket, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", cancellationToken);
        }

        return socket;
    }
}
