using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure;

public sealed class AgentServiceTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly CoordinationEventBus _events = new();
    private TestStore _store = null!;
    private AgentService _agents = null!;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStore.OpenAsync(_data.File("agents.db"), _time, _events, TestContext.Current.CancellationToken);
        _agents = _store.Agents;
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Register_KnownNameDifferentCase_RestoresSameAgent()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var first = await _agents.RegisterAsync(new RegisterAgentCommand("Builder", ["c#"]), new("a", "ws", null), cancellationToken);
        await _agents.DisconnectAsync("a", cancellationToken);
        _time.Advance(TimeSpan.FromMinutes(5));

        // Act
        var again = await _agents.RegisterAsync(new RegisterAgentCommand("builder", ["c#", "f#"]), new("b", "http", "claude-code"), cancellationToken);

        // Assert
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("Builder", again.Name);
        Assert.Equal(AgentStatus.Online, again.Status);
        Assert.Equal(["c#", "f#"], again.Capabilities);
        Assert.Equal(first.RegisteredAt, again.RegisteredAt);
        Assert.Equal(_time.GetUtcNow(), again.LastSeenAt);
        Assert.Equal(2, again.Connections);
    }

    [Fact]
    public async Task Disconnect_OtherConnection_LeavesAgentOnline()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await _agents.RegisterAsync(new RegisterAgentCommand("stay"), new("old", "ws", null), cancellationToken);
        await _agents.RegisterAsync(new RegisterAgentCommand("stay"), new("new", "ws", null), cancellationToken);

        // Act
        var changed = await _agents.DisconnectAsync("old", cancellationToken);

        // Assert
        Assert.Equal(0, changed);
        Assert.Equal(AgentStatus.Online, (await _agents.FindAsync("stay", cancellationToken))!.Status);
    }

    [Fact]
    public async Task Caller_TwoAgentsOnOneConnection_FollowsTheLatestAndWhereEachMoves()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await _agents.RegisterAsync(new RegisterAgentCommand("first"), new("shared", "ws", null), cancellationToken);
        await _agents.RegisterAsync(new RegisterAgentCommand("second"), new("shared", "ws", null), cancellationToken);
        var latest = _agents.OptionalCaller(new("shared", "ws", null))?.Name;

        // Act: the later agent moves to another connection, then the first connection ends.
        await _agents.RegisterAsync(new RegisterAgentCommand("second"), new("own", "ws", null), cancellationToken);
        var left = _agents.OptionalCaller(new("shared", "ws", null))?.Name;
        var offline = await _agents.DisconnectAsync("shared", cancellationToken);

        // Assert
        Assert.Equal("second", latest);
        Assert.Equal("first", left);
        Assert.Equal(1, offline);
        Assert.Null(_agents.OptionalCaller(new("shared", "ws", null)));
        Assert.Equal("second", _agents.OptionalCaller(new("own", "ws", null))?.Name);
        Assert.Equal(AgentStatus.Offline, (await _agents.FindAsync("first", cancellationToken))!.Status);
    }

    [Fact]
    public async Task Heartbeat_OfflineAgent_BringsItBackOnThatConnection()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await _agents.RegisterAsync(new RegisterAgentCommand("pulse"), new("x", "ws", null), cancellationToken);
        await _agents.DisconnectAsync("x", cancellationToken);
        using var subscription = _events.Subscribe();

        // Act
        var beat = await _agents.HeartbeatAsync("pulse", new("y", "rpc", null), cancellationToken);

        // Assert
        Assert.Equal(AgentStatus.Online, beat.Status);
        Assert.Equal("rpc", beat.Transport);
        Assert.Equal(1, beat.Heartbeats);
        await foreach (var change in subscription.ReadAllAsync(cancellationToken))
        {
            Assert.Equal(AgentChange.Reconnected, Assert.IsType<AgentChanged>(change).Change);
            break;
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Register_BlankName_IsRefused(string name)
    {
        // Act
        var error = await Assert.ThrowsAsync<DomainException>(() => _agents.RegisterAsync(
            new RegisterAgentCommand(name), new("z", "ws", null), TestContext.Current.CancellationToken));

        // Assert
        Assert.Contains("'name' is required", error.Message);
    }

    [Fact]
    public async Task Register_TooManyCapabilities_IsRefused()
    {
        // Act
        var error = await Assert.ThrowsAsync<DomainException>(() => _agents.RegisterAsync(
            new RegisterAgentCommand("greedy", [.. Enumerable.Range(0, 65).Select(i => $"c{i}")]), new("z", "ws", null),
            TestContext.Current.CancellationToken));

        // Assert
        Assert.Contains("at most 64", error.Message);
    }

    [Fact]
    public async Task Heartbeat_OnlineAgent_TouchesOnlyMemoryUntilTheFlush()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var registered = await _agents.RegisterAsync(new RegisterAgentCommand("beater"), new("c", "ws", null), cancellationToken);
        _time.Advance(TimeSpan.FromSeconds(3));

        // Act
        var beat = await _agents.HeartbeatAsync("beater", new("c", "ws", null), cancellationToken);
        var storedBeforeFlush = await StoredAsync("beater", cancellationToken);
        var flushed = await _agents.FlushLastSeenAsync(cancellationToken);
        var storedAfterFlush = await StoredAsync("beater", cancellationToken);

        // Assert
        Assert.Equal(registered.LastSeenAt, storedBeforeFlush.LastSeenAt);
        Assert.Equal(0, storedBeforeFlush.Metrics.Heartbeats);
        Assert.Equal(1, flushed);
        Assert.Equal(beat.LastSeenAt, storedAfterFlush.LastSeenAt);
        Assert.Equal(1, storedAfterFlush.Metrics.Heartbeats);
        Assert.Equal(0, await _agents.FlushLastSeenAsync(cancellationToken));
    }

    [Fact]
    public async Task Touch_ConnectionHoldingTwoAgents_MarksSeenOnlyTheOneItActsFor()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var first = await _agents.RegisterAsync(new RegisterAgentCommand("earlier"), new("shared", "ws", null), cancellationToken);
        await _agents.RegisterAsync(new RegisterAgentCommand("later"), new("shared", "ws", null), cancellationToken);
        _time.Advance(TimeSpan.FromSeconds(3));

        // Act
        await _agents.TouchAsync("shared", cancellationToken);
        var flushed = await _agents.FlushLastSeenAsync(cancellationToken);

        // Assert
        Assert.Equal(1, flushed);
        Assert.Equal(_time.GetUtcNow(), (await _agents.FindAsync("later", cancellationToken))!.LastSeenAt);
        Assert.Equal(first.LastSeenAt, (await _agents.FindAsync("earlier", cancellationToken))!.LastSeenAt);
        Assert.Equal(first.LastSeenAt, (await StoredAsync("earlier", cancellationToken)).LastSeenAt);
    }

    [Fact]
    public async Task Register_RowWrittenWithPlainSql_ReadsBackThroughEfCoreUnchanged()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;

        // Act
        var registered = await _agents.RegisterAsync(
            new RegisterAgentCommand("Ünïcode-agent", ["c#", "\"quoted\"", "日本語"], ["review"]),
            new("conn-1", "http", "claude-code"), cancellationToken);
        var stored = await StoredAsync("Ünïcode-agent", cancellationToken);

        // Assert
        Assert.Equal(registered.Id, stored.Id);
        Assert.Equal(["c#", "\"quoted\"", "日本語"], stored.Capabilities);
        Assert.Equal(["review"], stored.Specializations);
        Assert.Equal(AgentStatus.Online, stored.Status);
        Assert.Equal("conn-1", stored.ConnectionId);
        Assert.Equal("claude-code", stored.ClientName);
        Assert.Equal(registered.RegisteredAt, stored.RegisteredAt);
        Assert.Equal(1, stored.Metrics.Connections);
    }

    [Fact]
    public async Task Load_AfterACrashWithAgentsOnline_ShowsThemOfflineWithTheirLastSeenTime()
    {
        // Arrange: the process "dies" with an agent online (its writer is stopped, nothing else is written).
        var cancellationToken = TestContext.Current.CancellationToken;
        var registered = await _agents.RegisterAsync(new RegisterAgentCommand("survivor", ["go"]), new("c", "ws", null), cancellationToken);
        _time.Advance(TimeSpan.FromMinutes(1));

        // Act
        await using var restarted = await TestStore.OpenAsync(_store.DatabasePath, _time, new CoordinationEventBus(), cancellationToken);

        // Assert
        var agent = restarted.Presence.Find("survivor")!;
        Assert.Equal(AgentStatus.Offline, agent.Status);
        Assert.Equal(registered.Id, agent.Id);
        Assert.Equal(registered.LastSeenAt, agent.LastSeenAt);
        Assert.Equal(["go"], agent.Capabilities);
        Assert.Equal(AgentStatus.Offline, (await StoredAsync("survivor", cancellationToken)).Status);
    }

    private async Task<Agent> StoredAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = TestDatabase.Open(_store.DatabasePath);
        return await db.Agents.AsNoTracking().SingleAsync(a => a.Name == name, cancellationToken);
    }
}
