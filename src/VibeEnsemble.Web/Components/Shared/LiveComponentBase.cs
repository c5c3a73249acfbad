using Microsoft.AspNetCore.Components;
using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Web.Components.Shared;

/// <summary>
/// A component that stays current: it subscribes to coordination events before loading its snapshot (so nothing
/// between the two is missed) and applies each event on the renderer. The subscription lives as long as the
/// component and is cancelled, then awaited, on dispose.
/// </summary>
public abstract class LiveComponentBase : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private Task _watch = Task.CompletedTask;
    private Task _tick = Task.CompletedTask;

    [Inject]
    public required CoordinationEventBus Events { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    /// <summary>
    /// How often to re-render with no event at all, so that relative times ("2 min ago") stay true. Null: never.
    /// </summary>
    protected virtual TimeSpan? RefreshInterval => null;

    protected CancellationToken ComponentToken => _cts.Token;

    /// <summary>The event kinds this view applies; high-rate kinds (heartbeats) only when it asks for them.</summary>
    protected virtual EventKinds SubscribedKinds => EventKinds.Default;

    protected override async Task OnInitializedAsync()
    {
        var subscription = Events.Subscribe(SubscribedKinds);
        try
        {
            await LoadAsync(_cts.Token);
        }
        catch
        {
            subscription.Dispose();
            throw;
        }

        _watch = WatchAsync(subscription);
        if (RefreshInterval is { } interval)
        {
            _tick = TickAsync(interval);
        }
    }

    /// <summary>
    /// Runs on the renderer at every <see cref="RefreshInterval"/> before re-rendering: the place to re-read state
    /// that changes without events (last-seen times, which are not pushed).
    /// </summary>
    protected virtual Task RefreshAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Loads the snapshot the component starts from.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>Applies one event; return true to re-render.</summary>
    protected abstract Task<bool> ApplyAsync(CoordinationEvent coordinationEvent, CancellationToken cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await Task.WhenAll(_watch, _tick);
        }
        catch (OperationCanceledException)
        {
        }

        _cts.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task TickAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_cts.Token))
            {
                await InvokeAsync(async () =>
                {
                    await RefreshAsync(_cts.Token);
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
    }

    private async Task WatchAsync(EventSubscription subscription)
    {
        using (subscription)
        {
            try
            {
                await foreach (var coordinationEvent in subscription.ReadAllAsync(_cts.Token))
                {
                    await InvokeAsync(async () =>
                    {
                        if (await ApplyAsync(coordinationEvent, _cts.Token))
                        {
                            StateHasChanged();
                        }
                    });
                }
            }
            catch (OperationCanceledException) when (_cts.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                await DispatchExceptionAsync(ex);
            }
        }
    }
}
