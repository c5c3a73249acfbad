using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Web.Configuration;
using VibeEnsemble.Web.Hosting;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// Notices a Streamable HTTP client that has gone without ending its session (Claude Code does not send DELETE when
/// it exits): its event stream (the GET on /mcp) closes with its process. When the last stream of a session has been
/// closed for <see cref="McpOptions.StreamGoneAfter"/> with no request on the session since, its agents go offline.
/// The session itself lives on until its idle timeout, so a client that was only reconnecting finds it again (a
/// heartbeat brings its agent back).
/// </summary>
internal sealed partial class HttpSessionLiveness(
    AgentService agents, McpSessionTracker sessions, IOptions<McpOptions> options, TimeProvider time, ILogger<HttpSessionLiveness> logger)
{
    private const string SessionHeader = "Mcp-Session-Id";

    private readonly ConcurrentDictionary<string, SessionStreams> _sessions = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.Equals(AgentEndpoints.StreamableHttp)
            || context.Request.Headers[SessionHeader].ToString() is not { Length: > 0 and <= 200 } sessionId)
        {
            await next(context);
            return;
        }

        var streams = _sessions.GetOrAdd(sessionId, _ => new SessionStreams());
        streams.Touch(time.GetTimestamp());
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await next(context);
            return;
        }

        Interlocked.Increment(ref streams.Open);
        try
        {
            await next(context);
        }
        finally
        {
            if (Interlocked.Decrement(ref streams.Open) == 0)
            {
                var closedAt = time.GetTimestamp();
                streams.Touch(closedAt);
                _ = GoneLaterAsync(sessionId, streams, closedAt);
            }
        }
    }

    private async Task GoneLaterAsync(string sessionId, SessionStreams streams, long closedAt)
    {
        try
        {
            await Task.Delay(options.Value.StreamGoneAfter, time);
            if (Volatile.Read(ref streams.Open) > 0 || streams.LastActivity != closedAt)
            {
                return;
            }

            _sessions.TryRemove(sessionId, out _);
            if (sessions.IsActive(sessionId) && await agents.DisconnectAsync(sessionId, CancellationToken.None) > 0)
            {
                LogClientGone(logger, sessionId, options.Value.StreamGoneAfter);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Presence falls back to the session's idle timeout.
            LogCheckFailed(logger, ex, sessionId);
        }
    }

    private sealed class SessionStreams
    {
        public int Open;
        private long _lastActivity;

        public long LastActivity => Volatile.Read(ref _lastActivity);

        public void Touch(long timestamp) => Volatile.Write(ref _lastActivity, timestamp);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The client of MCP session {SessionId} has gone (its event stream closed {After} ago, nothing since); its agents are offline.")]
    private static partial void LogClientGone(ILogger logger, string sessionId, TimeSpan after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check whether the client of MCP session {SessionId} has gone.")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string sessionId);
}
