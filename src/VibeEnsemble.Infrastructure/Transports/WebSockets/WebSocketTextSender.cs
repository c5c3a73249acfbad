using System.Net.WebSockets;

namespace VibeEnsemble.Infrastructure.Transports.WebSockets;

/// <summary>Serialises sends: a WebSocket allows only one outstanding send at a time.</summary>
internal sealed class WebSocketTextSender(WebSocket socket) : IDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    public async Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.SendAsync(utf8Json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
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

    public void Dispose() => _sendLock.Dispose();
}
