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
}
