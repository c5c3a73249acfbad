using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using VibeEnsemble.Web.Hosting;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// Backpressure for legacy HTTP+SSE. Every reply goes down the session's one event stream, and the SDK starts a
/// handler for each posted request without waiting for that stream, so a client that posts without reading its stream
/// made the server hold every reply (10,000 posts: +400 MiB). Requests are counted per session from their POST to the
/// reply's event on the stream; past <see cref="MaxUnanswered"/> a POST is refused with 429 until the client reads.
/// Kestrel's minimum response data rate then cuts off a stream nobody reads.
/// </summary>
internal sealed class LegacySseBackpressure
{
    public const int MaxUnanswered = 64;

    private readonly ConcurrentDictionary<string, Counts> _sessions = new(StringComparer.Ordinal);

    public static WebApplication Use(WebApplication app)
    {
        var flow = new LegacySseBackpressure();
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var path = context.Request.Path;
            if (HttpMethods.IsGet(context.Request.Method) && path.Equals(AgentEndpoints.StreamableHttp + AgentEndpoints.LegacySse))
            {
                await flow.WatchStreamAsync(context, next);
            }
            else if (HttpMethods.IsPost(context.Request.Method) && path.Equals(AgentEndpoints.StreamableHttp + AgentEndpoints.LegacyMessage)
                && context.Request.Query["sessionId"].FirstOrDefault() is { } sessionId && flow._sessions.TryGetValue(sessionId, out var counts))
            {
                await AdmitAsync(context, counts, next);
            }
            else
            {
                await next(context);
            }
        });
        return app;
    }

    private async Task WatchStreamAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        var watched = new EventCountingStream(original, this);
        context.Response.Body = watched;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
            if (watched.SessionId is { } id)
            {
                _sessions.TryRemove(id, out _);
            }
        }
    }

    private static async Task AdmitAsync(HttpContext context, Counts counts, RequestDelegate next)
    {
        if (!await IsRequestAsync(context.Request))
        {
            await next(context);
            return;
        }

        if (Volatile.Read(ref counts.Posted) - Volatile.Read(ref counts.Answered) >= MaxUnanswered)
        {
            await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests in flight",
                detail: $"{MaxUnanswered} requests of this session wait for their replies on its event stream; read the stream before posting more.")
                .ExecuteAsync(context);
            return;
        }

        Interlocked.Increment(ref counts.Posted);
        await next(context);
    }

    /// <summary>Whether the posted body is a JSON-RPC request (it has an id and a method), which will be answered.</summary>
    private static async Task<bool> IsRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number
                && document.RootElement.TryGetProperty("method", out _);
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private sealed class Counts
    {
        public int Posted;
        public int Answered;
    }

    /// <summary>
    /// The event stream as written: learns the session id from the endpoint event, and counts "message" events (the
    /// replies). Scanning is linear in what is written.
    /// </summary>
    private sealed class EventCountingStream(Stream inner, LegacySseBackpressure owner) : Stream
    {
        private static readonly byte[] s_message = "event: message"u8.ToArray();
        private static readonly byte[] s_session = "sessionId="u8.ToArray();

        // The SDK's session ids are base64url.
        private static readonly System.Buffers.SearchValues<byte> s_idCharacters =
            System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8);
        private Counts? _counts;

        public string? SessionId { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Observe(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Observe(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Observe(ReadOnlySpan<byte> written)
        {
            if (_counts is null)
            {
                var at = written.IndexOf(s_session);
                if (at < 0)
                {
                    return;
                }

                var rest = written[(at + s_session.Length)..];
                var end = rest.IndexOfAnyExcept(s_idCharacters);
                SessionId = Encoding.ASCII.GetString(end < 0 ? rest : rest[..end]);
                _counts = owner._sessions.GetOrAdd(SessionId, _ => new Counts());
                return;
            }

            var answered = 0;
            for (var i = written.IndexOf(s_message); i >= 0; i = written.IndexOf(s_message))
            {
                answered++;
                written = written[(i + s_message.Length)..];
            }

            if (answered > 0)
            {
                Interlocked.Add(ref _counts.Answered, answered);
            }
        }
    }
}
