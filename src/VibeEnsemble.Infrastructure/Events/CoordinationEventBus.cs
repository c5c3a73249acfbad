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

    /// <summary>Starts receiving events of <paramref name="kinds"/> at once. The caller must dispose it.</summary>
    public EventSubscription Subscribe(EventKinds kinds = EventKinds.Default) => Subscribe(kinds, SubscriberCapacity);

    /// <summary>
    /// As <see cref="Subscribe(EventKinds)"/>, holding up to <paramref name="capacity"/> unread events before the
    /// oldest are dropped (the event log asks for more room than a live view).
    /// </summary>
    public EventSubscription Subscribe(EventKinds kinds, int capacity)
    {
        var channel = Channel.CreateBounded<CoordinationEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var subscription = new EventSubscription(this, channel, kinds);
        lock (_gate)
        {
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

        foreach (var subscription in Volatile.Read(ref _subscribers))
        {
            if ((subscription.Kinds & kind) != 0)
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
