using System.Diagnostics;
using System.Text;

namespace VibeEnsemble.Benchmarks;

/// <summary>
/// Messages end to end over <c>/ws</c>: each sending connection sends to its own group of receiving agents
/// (one durable commit per message, a delivery row per recipient),
/// and every receiver counts the <c>vibe/agent/message</c> pushes it gets. Calls/s is messages sent; the delivered
/// figure (pushes received per second) is set on the measurement's name.
/// </summary>
internal static class MessageLoad
{
    public static async Task<Measurement> RunAsync(
        string name, Uri native, int reportedConnections, int senders, int recipients, TimeSpan duration, string runId, Func<TimeSpan> serverCpu)
    {
        var receivers = new List<WebSocketConversation>();
        var sockets = new WebSocketConversation[senders];
        long delivered = 0;
        using var stop = new CancellationTokenSource();
        var listening = new List<Task>();
        try
        {
            for (var s = 0; s < senders; s++)
            {
                var group = $"msg-{runId}-{senders}-{recipients}-{s}";
                for (var r = 0; r < recipients; r++)
                {
                    var receiver = await WebSocketConversation.ConnectAsync(native, null);
                    await receiver.CallAsync("""{"jsonrpc":"2.0","id":0,"method":"vibe/events/subscribe","params":{"kinds":["message"]}}""");
                    await receiver.CallAsync($$"""{"jsonrpc":"2.0","id":0,"method":"vibe/agent/register","params":{"name":"{{group}}-r{{r}}","capabilities":["{{group}}"]} }""");
                    receivers.Add(receiver);
                    listening.Add(Task.Run(async () =>
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            var frame = await receiver.ReceiveAsync();
                            if (frame.Span.IndexOf("vibe/agent/message"u8) >= 0)
                            {
                                Interlocked.Increment(ref delivered);
                            }
                        }
                    }));
                }

                sockets[s] = await WebSocketConversation.ConnectAsync(native, null);
                await sockets[s].CallAsync("""{"jsonrpc":"2.0","id":0,"method":"vibe/events/subscribe","params":{"kinds":[]}}""");
                await sockets[s].CallAsync($$"""{"jsonrpc":"2.0","id":0,"method":"vibe/agent/register","params":{"name":"{{group}}-sender"} }""");
            }

            var frames = Enumerable.Range(0, senders).Select(s => Encoding.UTF8.GetBytes(
                $$"""{"jsonrpc":"2.0","id":1,"method":"vibe/message/send","params":{"to":"{{(recipients == 1 ? $"msg-{runId}-{senders}-{recipients}-{s}-r0" : $"group:msg-{runId}-{senders}-{recipients}-{s}")}}","body":"benchmark message"} }""")).ToArray();
            await WebSocketLoad.DriveAsync(sockets, Measurement.WarmUp, (s, _) => frames[s], null);
            await Task.Delay(500);
            var latencies = new List<double>[senders];
            var before = serverCpu();
            var deliveredBefore = Interlocked.Read(ref delivered);
            var total = Stopwatch.StartNew();
            var (sentTotal, errors) = await WebSocketLoad.DriveAsync(sockets, duration, (s, _) => frames[s], latencies);
            var elapsed = total.Elapsed;
            // Pushes still in flight when the senders stop arrive within a moment; they were sent in the window.
            await Task.Delay(500);
            var deliveredPerSecond = (Interlocked.Read(ref delivered) - deliveredBefore) / elapsed.TotalSeconds;
            // Reported at the connection count asked for (senders plus receivers share it), beside the floor's row.
            return new Measurement($"{name}, {senders} sender(s) ({deliveredPerSecond:N0} delivered/s)", reportedConnections, sentTotal, errors, elapsed,
                [.. latencies.SelectMany(l => l)])
            {
                ServerCpuMicrosPerCall = (serverCpu() - before).TotalMicroseconds / Math.Max(1, sentTotal),
            };
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var socket in sockets.Where(s => s is not null).Concat(receivers))
            {
                await socket.DisposeAsync();
            }
        }
    }
}
