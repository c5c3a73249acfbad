using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Tests.Infrastructure;

public sealed class EventBusTests
{
    private static readonly AgentSnapshot s_agent = new(Guid.CreateVersion7(), "a", [], [],
        VibeEnsemble.Domain.Agents.AgentStatus.Online, "rpc", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, 0, []);

    [Fact]
    public void HasSubscribers_FollowsTheKindsSubscribersAskFor()
    {
        // Arrange
        var bus = new CoordinationEventBus();

        // Act
        var before = bus.HasSubscribers(EventKinds.AgentHeartbeat);
        using var subscription = bus.Subscribe(EventKinds.Default);
        var withDefault = bus.HasSubscribers(EventKinds.AgentHeartbeat);
        subscription.Kinds = EventKinds.All;
        var withAll = bus.HasSubscribers(EventKinds.AgentHeartbeat);
        subscription.Dispose();

        // Assert
        Assert.False(before);
        Assert.False(withDefault);
        Assert.True(withAll);
        Assert.False(bus.HasSubscribers(EventKinds.AgentRegistered));
    }

    [Fact]
    public async Task Publish_DeliversEachEventOnlyToSubscribersOfItsKind()
    {
        // Arrange
        var bus = new CoordinationEventBus();
        using var arrivals = bus.Subscribe(EventKinds.AgentRegistered);
        using var beats = bus.Subscribe(EventKinds.AgentHeartbeat);

        // Act: a misrouted event would come before the one each subscriber is waiting for.
        bus.Publish(new AgentChanged(s_agent, AgentChange.Heartbeat, null, DateTimeOffset.UnixEpoch));
        bus.Publish(new AgentChanged(s_agent, AgentChange.Registered, null, DateTimeOffset.UnixEpoch));
        bus.Publish(new AgentChanged(s_agent, AgentChange.Heartbeat, null, DateTimeOffset.UnixEpoch));

        // Assert
        Assert.Equal([AgentChange.Registered], await TakeAsync(arrivals, 1));
        Assert.Equal([AgentChange.Heartbeat, AgentChange.Heartbeat], await TakeAsync(beats, 2));
    }

    private static async Task<List<AgentChange>> TakeAsync(EventSubscription subscription, int count)
    {
        var changes = new List<AgentChange>();
        await foreach (var coordinationEvent in subscription.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            changes.Add(((AgentChanged)coordinationEvent).Change);
            if (changes.Count == count)
            {
                break;
            }
        }

        return changes;
    }
}
