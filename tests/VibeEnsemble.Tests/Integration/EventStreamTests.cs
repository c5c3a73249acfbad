using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>
/// <c>/api/events</c> from a plain HTTP client: a reader cut off midway resumes with Last-Event-ID and, while tasks are
/// created concurrently, sees every event once and in order.
/// </summary>
public sealed class EventStreamTests
{
    [Fact]
    public async Task Resume_AfterAForcedDisconnect_YieldsEveryEventOnceInOrder_WhileEventsAreProduced()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        using var api = new HttpClient { BaseAddress = server.AgentUrl, Timeout = Timeout.InfiniteTimeSpan };
        const int Tasks = 120;
        var seen = new List<(long Id, string Title)>();

        // Act: read a first stretch, drop the connection, resume from the last id, while creating tasks all along.
        var firstStream = await OpenAsync(api, null, cancellationToken);
        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < Tasks; i++)
            {
                (await api.PostAsJsonAsync("/api/tasks", new { title = $"event-{i:D3}" }, cancellationToken)).EnsureSuccessStatusCode();
            }
        }, cancellationToken);
        await ReadAsync(firstStream, seen, until: s => s.Count >= 20, cancellationToken);
        firstStream.Dispose();
        var resumed = await OpenAsync(api, seen[^1].Id, cancellationToken);
        await ReadAsync(resumed, seen, until: s => s.Select(e => e.Title).Distinct().Count() >= Tasks, cancellationToken);
        await producing;
        resumed.Dispose();
        // The log itself, replayed from the start: what the interrupted reader saw must be exactly its prefix.
        var everything = new List<(long Id, string Title)>();
        using (var replay = await OpenAsync(api, 0, cancellationToken))
        {
            await ReadAsync(replay, everything, until: s => s.Count > 0 && s[^1].Id >= seen[^1].Id, cancellationToken);
        }

        using var badType = await api.GetAsync("/api/events?types=task.updated,nonsense", cancellationToken);

        // Assert
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count());
        Assert.True(seen.Zip(seen.Skip(1)).All(pair => pair.First.Id < pair.Second.Id), "ids in order");
        Assert.Equal(everything.Select(e => e.Id), seen.Select(e => e.Id));
        Assert.Equal(Enumerable.Range(0, Tasks).Select(i => $"event-{i:D3}"), seen.Select(e => e.Title).Distinct());
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Contains("'nonsense'", await badType.Content.ReadAsStringAsync(cancellationToken));
    }

    [Fact]
    public async Task AgentFilter_ReplayedWithAfter_OnlyThatAgentsEvents_AndUnknownAgentIs404()
    {
        // Arrange: two agents register; only one of them is asked about.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        using var api = new HttpClient { BaseAddress = server.AgentUrl, Timeout = Timeout.InfiniteTimeSpan };
        await using var first = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
        await first.RegisterAsync("watched", ["c#"], cancellationToken);
        await using var second = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken);
        await second.RegisterAsync("ignored", ["c#"], cancellationToken);
        await second.Rpc.InvokeWithParameterObjectAsync<JsonElement>("vibe/message/send", new { to = "watched", body = "for you" }, cancellationToken);

        // Act
        using var response = await api.GetAsync("/api/events?agent=watched&after=0", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var types = new List<string>();
        var bodies = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        while (!types.Contains("message") && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                types.Add(line[7..]);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                bodies.Add(line[6..]);
            }
        }

        using var unknown = await api.GetAsync("/api/events?agent=nobody", cancellationToken);

        // Assert
        Assert.Equal(["agent.registered", "message"], types);
        Assert.Contains("\"name\":\"watched\"", bodies[0]);
        Assert.DoesNotContain(bodies, b => b.Contains("\"name\":\"ignored\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<StreamReader> OpenAsync(HttpClient api, long? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events?types=task.updated");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>Reads SSE frames (task.updated: a task's creation, then each change) until <paramref name="until"/> holds.</summary>
    private static async Task ReadAsync(StreamReader reader, List<(long Id, string Title)> seen, Func<List<(long Id, string Title)>, bool> until, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        long? id = null;
        while (!until(seen) && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && id is { } eventId)
            {
                using var task = JsonDocument.Parse(line[6..]);
                seen.Add((eventId, task.RootElement.GetProperty("title").GetString()!));
            }
        }
    }
}
