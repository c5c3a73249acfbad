using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using VibeEnsemble.Infrastructure.Transports.WebSockets;
using WsFrameKind = VibeEnsemble.Infrastructure.Transports.WebSockets.FrameKind;

namespace VibeEnsemble.Infrastructure.Transports.JsonRpc;

/// <summary>
/// One client of the native JSON-RPC API over WebSocket. Frames are validated first
/// (<see cref="JsonRpcFrameValidator"/>); valid calls flow through in-memory pipes to StreamJsonRpc, whose replies
/// go back out one per text frame. Add targets to <see cref="Rpc"/> before <see cref="RunAsync"/>.
/// </summary>
public sealed partial class JsonRpcWebSocketSession : IAsyncDisposable
{
    private const int MaxMessageBytes = 4 * 1024 * 1024;
    private static readonly byte[] s_newLine = "\n"u8.ToArray();

    private readonly WebSocket _socket;
    private readonly WebSocketTextSender _sender;
    private readonly ILogger _logger;
    private readonly Pipe _inbound = new();
    private readonly Pipe _outbound = new();
    private readonly CoordinationJsonRpc _rpc;

    public JsonRpcWebSocketSession(WebSocket socket, ILogger logger)
    {
        _socket = socket;
        _sender = new WebSocketTextSender(socket);
        _logger = logger;
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = SerializerOptions };
        _rpc = new CoordinationJsonRpc(
            new NewLineDelimitedMessageHandler(_outbound.Writer, _inbound.Reader, formatter), logger)
        {
            CancelLocallyInvokedMethodsWhenConnectionIsClosed = true,
        };
    }

    /// <summary>camelCase, enums as strings: the shape every <c>vibe/*</c> payload has.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public StreamJsonRpc.JsonRpc Rpc => _rpc;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _rpc.StartListening();
        var pumpOut = PumpOutboundAsync(cancellationToken);
        try
        {
            await PumpInboundAsync(cancellationToken);
        }
        finally
        {
            await _inbound.Writer.CompleteAsync();
            try
            {
                await _rpc.Completion;
            }
            catch (Exception ex)
            {
                LogSessionFaulted(_logger, ex.Message);
            }

            await _outbound.Writer.CompleteAsync();
            await pumpOut;
        }
    }

    /// <summary>Starts the close handshake with 1001 (going away), e.g. when the server stops.</summary>
    public Task GoAwayAsync(CancellationToken cancellationToken) => _sender.GoAwayAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _rpc.Dispose();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _sender.CloseAsync(WebSocketCloseStatus.NormalClosure, "Bye.", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            LogSessionFaulted(_logger, ex.Message);
        }

        _sender.Dispose();
    }

    private async Task PumpInboundAsync(CancellationToken cancellationToken)
    {
        var reader = new WebSocketMessageReader(_socket, MaxMessageBytes);
        try
        {
            while (true)
            {
                switch (await reader.ReadAsync(cancellationToken))
                {
                    case WsFrameKind.Closed:
                        return;
                    case WsFrameKind.TooLarge:
                        await ReplyAsync(JsonRpcErrors.Response(null, JsonRpcErrors.InvalidRequest,
                            $"Message exceeds {MaxMessageBytes} bytes."), cancellationToken);
                        continue;
                }

                var validation = JsonRpcFrameValidator.Validate(reader.Message.Span);
                switch (validation.Kind)
                {
                    case FrameKind.Invalid:
                        await ReplyAsync(validation.ErrorResponse, cancellationToken);
                        break;
                    case FrameKind.Response:
                        // The server sends the client notifications only, so no response can be awaited here.
                        LogUnexpectedResponse(_logger);
                        break;
                    default:
                        await _inbound.Writer.WriteAsync(validation.CompactMessage, cancellationToken);
                        await _inbound.Writer.WriteAsync(s_newLine, cancellationToken);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (WebSocketException ex)
        {
            LogSessionFaulted(_logger, ex.Message);
        }
    }

    private async Task PumpOutboundAsync(CancellationToken cancellationToken)
    {
        var reader = _outbound.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    if (line.Length > 0)
                    {
                        await _sender.SendAsync(line.ToArray(), cancellationToken);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            LogSessionFaulted(_logger, ex.Message);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private Task ReplyAsync(byte[] response, CancellationToken cancellationToken) =>
        _sender.SendAsync(response, cancellationToken);

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, position.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Native RPC session ended: {Reason}")]
    private static partial void LogSessionFaulted(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Native RPC client sent a response to a request the server never made; ignored.")]
    private static partial void LogUnexpectedResponse(ILogger logger);
}
