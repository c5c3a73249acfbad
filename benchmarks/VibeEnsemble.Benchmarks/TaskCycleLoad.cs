using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace VibeEnsemble.Benchmarks;

/// <summary>
/// Full task cycles over <c>/ws</c>: each connection is an agent with a capability of its own, and creates a task
/// needing it, takes it with <c>vibe/task/next</c> and completes it: three durable commits per cycle.
/// </summary>
internal static class TaskCycleLoad
{
    public static async Task<Measurement> RunAsync(
        string name, Uri native, int connections, TimeSpan duration, string runId, Func<TimeSpan> serverCpu)
    {
        var agents = new WebSocketConversation[connections];
        for (var c = 0; c < connections; c++)
        {
            agents[c] = await WebSocketConversation.ConnectAsync(native, null);
            await agents[c].CallAsync("""{"jsonrpc":"2.0","id":0,"method":"vibe/events/subscribe","params":{"kinds":[]}}""");
            await agents[c].CallAsync($$"""{"jsonrpc":"2.0","id":0,"method":"vibe/agent/register","params":{"name":"cycle-{{runId}}-{{connections}}-{{c}}","capabilities":["cyc-{{runId}}-{{connections}}-{{c}}"]} }""");
        }

        try
        {
            await DriveAsync(agents, Measurement.WarmUp, runId, null);
            var latencies = new List<double>[connections];
            var before = serverCpu();
            var total = Stopwatch.StartNew();
            var (cycles, errors) = await DriveAsync(agents, duration, runId, latencies);
            return new Measurement(name, connections, cycles, errors, total.Elapsed, [.. latencies.SelectMany(l => l)])
            {
                ServerCpuMicrosPerCall = (serverCpu() - before).TotalMicroseconds / Math.Max(1, cycles),
            };
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    private static async Task<(long, long)> DriveAsync(
        WebSocketConversation[] agents, TimeSpan duration, string runId, List<double>[]? latencies)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(agents.Select((agent, c) => Task.Run(async () =>
        {
            var own = new List<double>(16 * 1024);
            long cycles = 0, errors = 0;
            var capability = $"cyc-{runId}-{agents.Length}-{c}";
            var create = Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":1,"method":"vibe/task/create","params":{"title":"cycle","requiredCapabilities":["{{capability}}"]} }""");
            var next = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":2,"method":"vibe/task/next","params":{}}""");
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                await agent.CallAsync(create);
                var taskId = TaskIdOf(await agent.CallAsync(next));
                var done = taskId is null ? default
                    : await agent.CallAsync($$"""{"jsonrpc":"2.0","id":3,"method":"vibe/task/complete","params":{"taskId":"{{taskId}}"} }""");
                own.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                cycles++;
                errors += taskId is null || done.Span.IndexOf("\"error\""u8) >= 0 ? 1 : 0;
            }

            if (latencies is not null)
            {
                latencies[c] = own;
            }

            return (cycles, errors);
        })));
        return (results.Sum(r => r.cycles), results.Sum(r => r.errors));
    }

    private static string? TaskIdOf(ReadOnlyMemory<byte> reply)
    {
        using var document = JsonDocument.Parse(reply);
        return document.RootElement.TryGetProperty("result", out var result)
            && result.TryGetProperty("task", out var task) && task.ValueKind == JsonValueKind.Object
            ? task.GetProperty("id").GetString()
            : null;
    }
}
