using System.Buffers;
using System.Net.WebSockets;

namespace VibeEnsemble.Infrastructure.Transports.WebSockets;

/// <summary>Outcome of reading one whole WebSocket message.</summary>
internal enum FrameKind
{
    Text,
    Binary,
    TooLarge,
    Closed,
}

/// <summary>
/// Reads whole messages (all fragments) from a WebSocket into one reusable buffer. An idle connection spends its
/// time in a pending receive that holds this buffer, so it starts small and one grown by a large message is dropped.
/// </summary>
internal sealed class WebSocketMessageReader(WebSocket socket, int maxMessageBytes)
{
    private const int InitialBytes = 512;
    private const int RetainedBytes = 16 * 1024;

    private ArrayBufferWriter<byte> _buffer = new(InitialBytes);

    /// <summary>The bytes of the last message read; valid until the next read.</summary>
    public ReadOnlyMemory<byte> Message => _buffer.WrittenMemory;

    public async Task<FrameKind> ReadAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Capacity > RetainedBytes)
        {
            _buffer = new ArrayBufferWriter<byte>(InitialBytes);
        }

        _buffer.ResetWrittenCount();
        var tooLarge = false;
        while (true)
        {
            var memory = _buffer.GetMemory();
            var result = await socket.ReceiveAsync(memory, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return FrameKind.Closed;
            }

            if (!tooLarge)
            {
                _buffer.Advance(result.Count);
                if (_buffer.WrittenCount > maxMessageBytes)
                {
                    // Keep draining the fragments of the oversized message, but stop storing them.
                    tooLarge = true;
                    _buffer.ResetWrittenCount();
                }
            }

            if (result.EndOfMessage)
            {
                return tooLarge ? FrameKind.TooLarge
                    : result.MessageType == WebSocketMessageType.Binary ? FrameKind.Binary
                    : FrameKind.Text;
            }
        }
    }
}
