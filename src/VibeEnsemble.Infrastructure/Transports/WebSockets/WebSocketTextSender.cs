using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace VibeEnsemble.Infrastructure.Transports.WebSockets;

/// <summary>
/// Serialises sends (a WebSocket allows only one outstanding send at a time) and gives up on a client that stops
/// reading: once a send has not gone out within <paramref name="stallTimeout"/>, <paramref name="stalled"/> is called
/// once, every later message is dropped, and as soon as the send under way leaves (the client reads again) the
/// connection is closed with 1008 (policy violation). A client that still reads nothing within as long again is cut
/// off. (Cancelling the stuck send instead would abort the socket at once, with no close frame for the client.) The
/// readers keep reading, and drop, what a stalled client sends until its close arrives: closing with its data unread
/// would make the kernel reset the connection, and the client lose the close frame.
/// </summary>
internal sealed class WebSocketTextSender(WebSocket socket, TimeSpan stallTimeout, Action? stalled = null) : IDisposable
{
    public const string NotReadingReason = "Replies were not read; disconnected.";

    private int _stalled;
    private readonly TaskCompletionSource _policyClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether this client stopped reading: nothing more is sent but the 1008 close.</summary>
    public bool Stalled => Volatile.Read(ref _stalled) == 1;

    // Replies are written into one buffer per connection, under the send lock; a buffer grown by a large reply
    // is dropped afterwards so that an idle connection holds only a small one.
    private const int RetainedBufferBytes = 16 * 1024;

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ArrayBufferWriter<byte>? _buffer;
    private Utf8JsonWriter? _writer;

    public async Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (!Stalled && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await SendFrameAsync(utf8Json, cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    // The caller's token is not given to the socket: cancelling a send aborts a WebSocket, which would take the 1008
    // close with it when a session ends while a send is stuck. A send waits at most the stall time either way.
    private async Task SendFrameAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var send = socket.SendAsync(utf8Json, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        if (send.IsCompletedSuccessfully)
        {
            return;
        }

        var sending = send.AsTask();
        using (var timer = new CancellationTokenSource())
        {
            if (await Task.WhenAny(sending, Task.Delay(stallTimeout, timer.Token)) == sending)
            {
                await timer.CancelAsync();
                await sending;
                return;
            }
        }

        if (Interlocked.Exchange(ref _stalled, 1) == 0)
        {
            TransportCounters.ClientStalled();
            stalled?.Invoke();
            _ = CloseWhenDrainedAsync(sending);
        }

        throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The client stopped reading and is being disconnected.");
    }

    /// <summary>Once the stuck send has left, says why with 1008; cuts the client off if it never reads again.</summary>
    private async Task CloseWhenDrainedAsync(Task sending)
    {
        try
        {
            using var grace = new CancellationTokenSource(stallTimeout);
            await sending.WaitAsync(grace.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, NotReadingReason, grace.Token);
            // The reading side drains what the client still sends until its close arrives; one that never closes is
            // cut off after as long again.
            using var answer = new CancellationTokenSource(stallTimeout);
            while (socket.State == WebSocketState.CloseSent && !answer.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            }

            if (socket.State == WebSocketState.CloseSent)
            {
                socket.Abort();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException)
        {
            socket.Abort();
        }
        finally
        {
            _policyClosed.TrySetResult();
        }
    }

    /// <summary>Writes one JSON message with <paramref name="write"/> and sends it as one text frame.</summary>
    public async Task SendJsonAsync<TState>(
        TState state, Action<Utf8JsonWriter, TState> write, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            var buffer = _buffer ??= new ArrayBufferWriter<byte>(512);
            buffer.ResetWrittenCount();
            var writer = _writer ??= new Utf8JsonWriter(buffer);
            writer.Reset(buffer);
            write(writer, state);
            writer.Flush();
            if (!Stalled && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await SendFrameAsync(buffer.WrittenMemory, cancellationToken);
            }

            if (buffer.Capacity > RetainedBufferBytes)
            {
                _buffer = null;
                _writer = null;
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task CloseAsync(WebSocketCloseStatus status, string description, CancellationToken cancellationToken)
    {
        if (Stalled)
        {
            // The 1008 close is the goodbye; it ends within twice the stall time on its own.
            await _policyClosed.Task;
            return;
        }

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, description, cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Starts the close handshake with 1001 (going away), as when the server stops. Safe to fire and forget: a
    /// socket that is already gone needs no goodbye.
    /// </summary>
    public async Task GoAwayAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Server is shutting down.", cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client left (or was cut off) first; there is nobody to say goodbye to.
        }
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _sendLock.Dispose();
    }
}
