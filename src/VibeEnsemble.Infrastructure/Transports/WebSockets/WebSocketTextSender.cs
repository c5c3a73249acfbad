using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace VibeEnsemble.Infrastructure.Transports.WebSockets;

/// <summary>
/// Serialises sends (a WebSocket allows only one outstanding send at a time) and gives up on a client that stops
/// reading: a send that has not gone out within <paramref name="stallTimeout"/> aborts the socket and calls
/// <paramref name="stalled"/> once.
/// </summary>
internal sealed class WebSocketTextSender(WebSocket socket, TimeSpan stallTimeout, Action? stalled = null) : IDisposable
{
    private int _stalled;

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
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await SendFrameAsync(utf8Json, cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task SendFrameAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(stallTimeout);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await socket.SendAsync(utf8Json, WebSocketMessageType.Text, endOfMessage: true, stall.Token);
        }
        // The timer's own flag, not the caller's token: the abort ends the session, which may cancel that token too.
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            // A cancelled send has aborted the socket; the reading side ends with it.
            if (Interlocked.Exchange(ref _stalled, 1) == 0)
            {
                stalled?.Invoke();
            }

            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The client stopped reading and was disconnected.");
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
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
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
