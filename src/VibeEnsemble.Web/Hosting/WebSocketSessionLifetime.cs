namespace VibeEnsemble.Web.Hosting;

/// <summary>
/// How long a WebSocket session may run: until the client leaves, or until the server stops. On stop the session is
/// first asked to close politely (1001, going away) and is cut off only if the client does not answer in time, so
/// that shutdown takes a moment rather than Kestrel's full shutdown timeout.
/// </summary>
internal sealed class WebSocketSessionLifetime : IDisposable
{
    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _onStopping;

    public WebSocketSessionLifetime(
        HttpContext context, IHostApplicationLifetime lifetime, Func<CancellationToken, Task> goAwayAsync)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        _onStopping = lifetime.ApplicationStopping.Register(() =>
        {
            _source.CancelAfter(s_closeGrace);
            // Fire and forget: the receive loop ends when the client answers the close, or the token cuts it off.
            _ = goAwayAsync(_source.Token);
        });
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        _onStopping.Dispose();
        _source.Dispose();
    }
}
