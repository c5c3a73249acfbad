using System.Collections.Concurrent;
using System.Threading.Channels;

namespace VibeEnsemble.Infrastructure.Events;

/// <summary>
/// In-process fan-out of <see cref="CoordinationEvent"/>s. Each subscriber names the kinds it wants and gets its
/// own bounded queue, so a slow dashboard drops its oldest updates instead of holding up the agents. Publishing a
/// kind with no subscriber costs one mask test.
/// </summary>
public sealed class CoordinationEventBus
{
    private const int SubscriberCapacity = 1_024;

    private readonly Lock _gate = new();
    private EventSubscription[] _subscribers = [];
    private int _wanted;

    // Subscriptions bound to a connection, by connection id, for events with an audience.
    private readonly ConcurrentDictionary<string, EventSubscription> _byConnection = new(StringComparer.Ordinal);

    /// <summary>Starts receiving events of <paramref name="kinds"/> at once. The caller must dispose it.</summary>
    public EventSubscription Subscribe(EventKinds kinds = EventKinds.Default) => Subscribe(kinds, SubscriberCapacity);

    /// <summary>
    /// As <see cref="Subscribe(EventKinds)"/>, holding up to <paramref name="capacity"/> unread events before the
    /// oldest are dropped (the event log asks for more room than a live view).
    /// </summary>
    public EventSubscription Subscribe(EventKinds kinds, int capacity) => Add(kinds, capacity, connectionId: null);

    /// <summary>
    /// As <see cref="Subscribe(EventKinds)"/> for one connection's pushes: of the events addressed to particular
    /// connections it gets only those addressed to <paramref name="connectionId"/>. One per connection.
    /// </summary>
    public EventSubscription SubscribeFor(string connectionId, EventKinds kinds) =>
        Add(kinds, SubscriberCapacity, connectionId ?? throw new ArgumentNullException(nameof(connectionId)));

    private EventSubscription Add(EventKinds kinds, int capacity, string? connectionId)
    {
        var channel = Channel.CreateBounded<CoordinationEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var subscription = new EventSubscription(this, channel, kinds, connectionId);
        lock (_gate)
        {
            if (connectionId is not null && !_byConnection.TryAdd(connectionId, subscription))
            {
                throw new InvalidOperationException($"Connection '{connectionId}' already has a subscription.");
            }

            _subscribers = [.. _subscribers, subscription];
            RecomputeWanted();
        }

        return subscription;
    }

    /// <summary>Whether anyone listens for <paramref name="kind"/>; check before building a high-rate event.</summary>
    public bool HasSubscribers(EventKinds kind) => (Volatile.Read(ref _wanted) & (int)kind) != 0;

    public void Publish(CoordinationEvent coordinationEvent)
    {
        var kind = coordinationEvent.Kind;
        if (!HasSubscribers(kind))
        {
            return;
        }

        var audience = coordinationEvent.Audience;
        foreach (var subscription in Volatile.Read(ref _subscribers))
        {
            if ((subscription.Kinds & kind) != 0 && (audience is null || subscription.ConnectionId is null))
            {
                subscription.Channel.Writer.TryWrite(coordinationEvent);
            }
        }

        if (audience is null)
        {
            return;
        }

        foreach (var connectionId in audience)
        {
            if (_byConnection.TryGetValue(connectionId, out var subscription) && (subscription.Kinds & kind) != 0)
            {
                subscription.Channel.Writer.TryWrite(coordinationEvent);
            }
        }
    }

    internal void KindsChanged()
    {
        lock (_gate)
        {
            RecomputeWanted();
        }
    }

    internal void Remove(EventSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscription)];
            if (subscription.ConnectionId is { } connectionId)
            {
                _byConnection.TryRemove(new KeyValuePair<string, EventSubscription>(connectionId, subscription));
            }

            RecomputeWanted();
        }

        subscription.Channel.Writer.TryComplete();
    }

    private void RecomputeWanted()
    {
        var wanted = EventKinds.None;
        foreach (var subscription in _subscribers)
        {
            wanted |= subscription.Kinds;
        }

        Volatile.Write(ref _wanted, (int)wanted);
    }
}
