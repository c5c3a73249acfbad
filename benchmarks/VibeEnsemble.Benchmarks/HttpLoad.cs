using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace VibeEnsemble.Benchmarks;

/// <summary>The HTTP counterpart of <see cref="WebSocketLoad"/>: one POST in flight per connection.</summary>
internal static class HttpLoad
{
    public static async Task<Measurement> RunAsync(
        string name, Uri uri, int connections, TimeSpan duration, string body, Func<HttpClient, Task<string?>>? setup = null,
        Func<TimeSpan>? serverCpu = null)
    {
        var clients = new (HttpClient Client, string? Session)[connections];
        for (var c = 0; c < connections; c++)
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 });
            clients[c] = (client, setup is null ? null : await setup(client));
        }

        try
        {
            await DriveAsync(clients, uri, Measurement.WarmUp, body, null);
            var latencies = new List<double>[connections];
            var cpuBefore = serverCpu?.Invoke();
            var total = Stopwatch.StartNew();
            var (calls, errors) = await DriveAsync(clients, uri, duration, body, latencies);
            return new Measurement(name, connections, calls, errors, total.Elapsed, [.. latencies.SelectMany(l => l)])
            {
                ServerCpuMicrosPerCall = cpuBefore is { } before ? (serverCpu!() - before).TotalMicroseconds / calls : null,
            };
        }
        finally
        {
            foreach (var (client, _) in clients)
            {
                client.Dispose();
            }
        }
    }

    public static HttpRequestMessage Post(Uri uri, string body, string? session)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
        }

        return request;
    }

    private static async Task<(long, long)> DriveAsync(
        (HttpClient Client, string? Session)[] clients, Uri uri, TimeSpan duration, string body, List<double>[]? latencies)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
        {
            var own = new List<double>(64 * 1024);
            long calls = 0, errors = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await client.Client.SendAsync(Post(uri, body, client.Session));
                var text = await response.Content.ReadAsStringAsync();
                own.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                calls++;
                errors += response.IsSuccessStatusCode && !text.Contains("\"error\"", StringComparison.Ordinal) ? 0 : 1;
            }

            if (latencies is not null)
            {
                latencies[c] = own;
            }

            return (calls, errors);
        })));
        return (results.Sum(r => r.calls), results.Sum(r => r.errors));
    }
}
