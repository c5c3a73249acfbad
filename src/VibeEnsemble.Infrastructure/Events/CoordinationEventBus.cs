using System.Threading.Channels;

namespace VibeEnsemble.Infrastructure.Events;

/// <summary>
/// In-process fan-out of <see cref="CoordinationEvent"/>s. Each subscriber gets its own bounded queue, so a slow
/// dashboard drops its oldest updates instead of holding up the agents.
/// </summary>
public sealed class CoordinationEventBus
{
    private const int SubscriberCapacity = 1_024;

    private readonly Lock _gate = new();
    private Channel<CoordinationEvent>[] _subscribers = [];

    /// <summary>Starts receiving events at once. The caller owns the subscription and must dispose it.</summary>
    public EventSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<CoordinationEvent>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers = [.. _subscribers, channel];
        }

        return new EventSubscription(channel.Reader, () => Remove(channel));
    }

    public void Publish(CoordinationEvent coordinationEvent)
    {
        foreach (var channel in Volatile.Read(ref _subscribers))
        {
            channel.Writer.TryWrite(coordinationEvent);
        }
    }

    private void Remove(Channel<CoordinationEvent> channel)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(c => c != channel)];
        }

        channel.Writer.TryComplete();
    }
}
