using System.Threading.Channels;

namespace VibeEnsemble.Infrastructure.Events;

/// <summary>A live feed of events of the kinds asked for; dispose it to stop receiving.</summary>
public sealed class EventSubscription : IDisposable
{
    private readonly CoordinationEventBus _bus;
    private int _kinds;
    private int _disposed;

    internal EventSubscription(CoordinationEventBus bus, Channel<CoordinationEvent> channel, EventKinds kinds, string? connectionId = null)
    {
        _bus = bus;
        Channel = channel;
        _kinds = (int)kinds;
        ConnectionId = connectionId;
    }

    /// <summary>
    /// The connection this subscription pushes to, if it is bound to one: events addressed to particular connections
    /// (<see cref="CoordinationEvent.Audience"/>) reach it only when they list it.
    /// </summary>
    public string? ConnectionId { get; }

    internal Channel<CoordinationEvent> Channel { get; }

    /// <summary>The kinds delivered from now on; may be changed while the subscription is live.</summary>
    public EventKinds Kinds
    {
        get => (EventKinds)Volatile.Read(ref _kinds);
        set
        {
            Volatile.Write(ref _kinds, (int)value);
            _bus.KindsChanged();
        }
    }

    public IAsyncEnumerable<CoordinationEvent> ReadAllAsync(CancellationToken cancellationToken) =>
        Channel.Reader.ReadAllAsync(cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _bus.Remove(this);
        }
    }
}
