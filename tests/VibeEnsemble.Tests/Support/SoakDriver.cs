using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace VibeEnsemble.Tests.Support;

/// <summary>What a soak saw: calls made, calls that failed (with the first few reasons), connect cycles done.</summary>
public sealed record SoakResult(long Calls, long Errors, int Cycles, IReadOnlyList<string> FirstErrors);

/// <summary>
/// Mixed load as agents make it, for the soak (a short one in the suite, a long one in benchmarks/, which links this
/// file): half the agents on the native <c>/ws</c> API (heartbeat, list, and a full task cycle), half on MCP
/// Streamable HTTP (heartbeat and list tools), each with one call in flight; meanwhile clients connect, register
/// and leave over both. Only the BCL, so both projects can use it.
/// </summary>
public static class SoakDriver
{
    private const string Accept = "application/json, text/event-stream";

    public static async Task<SoakResult> RunAsync(Uri agentUrl, int agents, TimeSpan duration, int cycles, string runId, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        long calls = 0;
        long failed = 0;
        void Fail(string why)
        {
            Interlocked.Increment(ref failed);
            lock (errors)
            {
                if (errors.Count < 5)
                {
                    errors.Add(why);
                }
            }
        }

        var until = Stopwatch.StartNew();
        var load = Enumerable.Range(0, agents).Select(i => Task.Run(async () =>
        {
            try
            {
                var made = i % 2 == 0
                    ? await NativeAgentAsync(agentUrl, $"soak-{runId}-ws-{i}", () => until.Elapsed < duration, Fail, cancellationToken)
                    : await McpAgentAsync(agentUrl, $"soak-{runId}-http-{i}", () => until.Elapsed < duration, Fail, cancellationToken);
                Interlocked.Add(ref calls, made);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException)
            {
                Fail($"agent {i}: {ex.Message}");
            }
        }, cancellationToken)).ToList();
        var cycled = 0;
        var churn = Task.Run(async () =>
        {
            for (var c = 0; c < cycles; c++)
            {
                try
                {
                    if (c % 2 == 0)
                    {
                        await NativeAgentAsync(agentUrl, $"soak-{runId}-cycle-{c}", () => false, Fail, cancellationToken);
                    }
                    else
                    {
                        await McpAgentAsync(agentUrl, $"soak-{runId}-cycle-{c}", () => false, Fail, cancellationToken);
                    }

                    cycled++;
                }
                catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException)
                {
                    Fail($"cycle {c}: {ex.Message}");
                }
            }
        }, cancellationToken);
        await Task.WhenAll([.. load, churn]);
        return new SoakResult(calls, failed, cycled, errors);
    }

    private static async Task<long> NativeAgentAsync(Uri agentUrl, string name, Func<bool> going, Action<string> fail, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{agentUrl.Authority}/ws"), cancellationToken);
        var buffer = new byte[64 * 1024];
        long calls = 0;
        async Task<string> CallAsync(string method, string parameters)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{++calls}},"method":"{{method}}","params":{{parameters}}}"""),
                WebSocketMessageType.Text, true, cancellationToken);
            string text;
            do
            {
                // Until the subscription below takes effect the server may push notifications: not replies, skipped.
                var reply = new StringBuilder();
                WebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer, cancellationToken);
                    reply.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
                }
                while (!received.EndOfMessage);
                text = reply.ToString();
            }
            while (text.StartsWith("{\"jsonrpc\":\"2.0\",\"method\":", StringComparison.Ordinal));
            if (!text.Contains("\"result\"", StringComparison.Ordinal))
            {
                fail($"{method}: {text[..Math.Min(text.Length, 200)]}");
            }

            return text;
        }

        // Pushes off, so every frame read is the reply to the call just made.
        await CallAsync("vibe/events/subscribe", """{"kinds":[]}""");
        await CallAsync("vibe/agent/register", $$"""{"name":"{{name}}","capabilities":["{{name}}"]}""");
        do
        {
            await CallAsync("vibe/agent/heartbeat", $$"""{"name":"{{name}}"}""");
            await CallAsync("vibe/agent/list", """{"status":"online"}""");
            await CallAsync("vibe/task/create", $$"""{"title":"soak","requiredCapabilities":["{{name}}"]}""");
            var next = await CallAsync("vibe/task/next", "{}");
            var id = next.IndexOf("\"id\":\"", StringComparison.Ordinal);
            if (id >= 0)
            {
                await CallAsync("vibe/task/complete", $$"""{"taskId":"{{next.Substring(id + 6, 36)}}","result":"ok"}""");
            }
        }
        while (going());

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
        return calls;
    }

    private static async Task<long> McpAgentAsync(Uri agentUrl, string name, Func<bool> going, Action<string> fail, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = agentUrl };
        string? session = null;
        long calls = 0;
        async Task<string> PostAsync(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Accept.ParseAdd(Accept);
            if (session is not null)
            {
                request.Headers.Add("Mcp-Session-Id", session);
            }

            using var response = await client.SendAsync(request, cancellationToken);
            session ??= response.Headers.TryGetValues("Mcp-Session-Id", out var ids) ? ids.First() : null;
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            calls++;
            if (!response.IsSuccessStatusCode || text.Contains("\"isError\":true", StringComparison.Ordinal) || text.Contains("\"error\":", StringComparison.Ordinal))
            {
                fail($"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 200)]}");
            }

            return text;
        }

        await PostAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"soak","version":"1"}}}""");
        await PostAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await PostAsync($$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"register_agent","arguments":{"name":"{{name}}"} } }""");
        do
        {
            await PostAsync($$"""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"heartbeat","arguments":{"name":"{{name}}"} } }""");
            await PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_agents","arguments":{"status":"Online"}}}""");
        }
        while (going());

        // A well-behaved client ends its session.
        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/mcp");
        delete.Headers.Add("Mcp-Session-Id", session);
        using var deleted = await client.SendAsync(delete, cancellationToken);
        if (!deleted.IsSuccessStatusCode)
        {
            fail($"DELETE: {(int)deleted.StatusCode}");
        }

        return calls;
    }
}
