using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace VibeEnsemble.Tests.Support;

/// <summary>Raw text frames, for tests that speak below any client library.</summary>
internal static class WebSocketText
{
    public static Task SendAsync(WebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Reads one whole text message; fails if the server closes instead.</summary>
    public static async Task<string> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.DefaultTimeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(message.ToArray());
    }

    /// <summary>Sends one request and reads its response, skipping pushed notifications.</summary>
    public static async Task<JsonDocument> CallAsync(WebSocket socket, string request, CancellationToken cancellationToken)
    {
        await SendAsync(socket, request, cancellationToken);
        return await ReceiveResponseAsync(socket, cancellationToken);
    }

    /// <summary>
    /// Reads the next JSON-RPC response, skipping notifications the server pushes meanwhile (other agents coming
    /// and going on the same server).
    /// </summary>
    public static async Task<JsonDocument> ReceiveResponseAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            var document = JsonDocument.Parse(await ReceiveAsync(socket, cancellationToken));
            if (!document.RootElement.TryGetProperty("method", out _))
            {
                return document;
            }

            document.Dispose();
        }
    }
}
