using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace VibeEnsemble.Benchmarks;

/// <summary>
/// The one client every WebSocket row uses: hand-written frames over <see cref="ClientWebSocket"/>, one call in
/// flight per connection, prebuilt request bytes, so the client costs as little as it can and the same for every
/// server.
/// </summary>
internal static class WebSocketLoad
{
    /// <summary>Builds the request bytes for connection <c>c</c>, call number <c>n</c>.</summary>
    public delegate ReadOnlyMemory<byte> Frame(int connection, long call);

    public static async Task<Measurement> RunAsync(
        string name, Uri uri, int connections, TimeSpan duration, Frame frame,
        Func<int, WebSocketConversation, Task>? setup = null, string? subProtocol = null, Func<TimeSpan>? serverCpu = null)
    {
        var sockets = new WebSocketConversation[connections];
        for (var c = 0; c < connections; c++)
        {
            sockets[c] = await WebSocketConversation.ConnectAsync(uri, subProtocol);
            if (setup is not null)
            {
                await setup(c, sockets[c]);
            }
        }

        try
        {
            // A warm-up per cell, so the JIT and the pools are not measured (see Measurement.WarmUp).
            await DriveAsync(sockets, Measurement.WarmUp, frame, null);
            var latencies = new List<double>[connections];
            var cpuBefore = serverCpu?.Invoke();
            var total = Stopwatch.StartNew();
            var (calls, errors) = await DriveAsync(sockets, duration, frame, latencies);
            return new Measurement(name, connections, calls, errors, total.Elapsed, [.. latencies.SelectMany(l => l)])
            {
                ServerCpuMicrosPerCall = cpuBefore is { } before ? (serverCpu!() - before).TotalMicroseconds / calls : null,
            };
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    /// <summary>Each connection calls in a loop for <paramref name="duration"/>, one call in flight; latencies if asked.</summary>
    public static async Task<(long Calls, long Errors)> DriveAsync(
        WebSocketConversation[] sockets, TimeSpan duration, Frame frame, List<double>[]? latencies)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(sockets.Select((socket, c) => Task.Run(async () =>
        {
            var own = new List<double>(64 * 1024);
            long calls = 0, errors = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                var reply = await socket.CallAsync(frame(c, calls));
                own.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                calls++;
                errors += reply.Span.IndexOf("\"error\""u8) >= 0 || reply.Span.IndexOf("\"isError\":true"u8) >= 0 ? 1 : 0;
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

/// <summary>One client connection: send a text frame, read the next whole text frame.</summary>
internal sealed class WebSocketConversation(ClientWebSocket socket) : IAsyncDisposable
{
    private byte[] _buffer = new byte[16 * 1024];

    public static async Task<WebSocketConversation> ConnectAsync(Uri uri, string? subProtocol)
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        await socket.ConnectAsync(uri, CancellationToken.None);
        return new WebSocketConversation(socket);
    }

    public async Task<ReadOnlyMemory<byte>> CallAsync(ReadOnlyMemory<byte> request)
    {
        await socket.SendAsync(request, WebSocketMessageType.Text, true, CancellationToken.None);
        return await ReceiveAsync();
    }

    public Task<ReadOnlyMemory<byte>> CallAsync(string request) => CallAsync(Encoding.UTF8.GetBytes(request));

    public Task SendAsync(string message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task<ReadOnlyMemory<byte>> ReceiveAsync()
    {
        var received = 0;
        while (true)
        {
            if (received == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var result = await socket.ReceiveAsync(_buffer.AsMemory(received), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The server closed the connection: {socket.CloseStatusDescription}");
            }

            received += result.Count;
            if (result.EndOfMessage)
            {
                return _buffer.AsMemory(0, received);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The benchmark is over either way.
            }
        }

        socket.Dispose();
    }
}
