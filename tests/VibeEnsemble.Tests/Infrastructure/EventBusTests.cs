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

    [Fact]
    public async Task Publish_AnEventWithAnAudience_ReachesOnlyTheListedConnectionsAndTheUnboundSubscribers()
    {
        // Arrange
        var bus = new CoordinationEventBus();
        using var alice = bus.SubscribeFor("conn-alice", EventKinds.Message);
        using var bob = bus.SubscribeFor("conn-bob", EventKinds.Message);
        using var dashboard = bus.Subscribe(EventKinds.Message);

        // Act: an event for alice, then one for everyone; a misrouted one would come first at bob.
        bus.Publish(new Addressed("for alice", new HashSet<string> { "conn-alice", "conn-gone" }));
        bus.Publish(new Addressed("for everyone", null));

        // Assert
        Assert.Equal(["for alice", "for everyone"], await NotesAsync(alice, 2));
        Assert.Equal(["for everyone"], await NotesAsync(bob, 1));
        Assert.Equal(["for alice", "for everyone"], await NotesAsync(dashboard, 2));
    }

    [Fact]
    public void SubscribeFor_ASecondSubscriptionOfOneConnection_IsRefused_UntilTheFirstIsDisposed()
    {
        // Arrange
        var bus = new CoordinationEventBus();
        var first = bus.SubscribeFor("conn-1", EventKinds.Message);

        // Act
        var twice = Record.Exception(() => bus.SubscribeFor("conn-1", EventKinds.Message));
        first.Dispose();
        using var again = bus.SubscribeFor("conn-1", EventKinds.Message);

        // Assert
        Assert.IsType<InvalidOperationException>(twice);
        Assert.Equal("conn-1", again.ConnectionId);
    }

    private sealed record Addressed(string Note, IReadOnlySet<string>? To) : CoordinationEvent(DateTimeOffset.UnixEpoch)
    {
        public override EventKinds Kind => EventKinds.Message;

        public override IReadOnlySet<string>? Audience => To;
    }

    private static Task<List<string>> NotesAsync(EventSubscription subscription, int count) =>
        TakeAsync(subscription, count, e => ((Addressed)e).Note);

    private static Task<List<AgentChange>> TakeAsync(EventSubscription subscription, int count) =>
        TakeAsync(subscription, count, e => ((AgentChanged)e).Change);

    private static async Task<List<T>> TakeAsync<T>(EventSubscription subscription, int count, Func<CoordinationEvent, T> read)
    {
        var taken = new List<T>();
        await foreach (var coordinationEvent in subscription.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            taken.Add(read(coordinationEvent));
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }
}
