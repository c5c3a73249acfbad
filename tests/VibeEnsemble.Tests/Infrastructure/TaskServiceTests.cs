using Microsoft.Extensions.Time.Testing;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure;

/// <summary>Task operations on a real file through the batching writer.</summary>
public sealed partial class TaskServiceTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly CoordinationEventBus _events = new();
    private TestStore _store = null!;
    private TaskService _tasks = null!;
    private AgentSnapshot _rustAgent = null!;
    private AgentSnapshot _webAgent = null!;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _store = await TestStore.OpenAsync(_data.File("tasks.db"), _time, _events, cancellationToken);
        _tasks = _store.CreateTaskService(_events, _time, new TaskOptions { RetryBaseDelay = TimeSpan.FromSeconds(10) });
        _rustAgent = await _store.Agents.RegisterAsync(new RegisterAgentCommand("rusty", ["Rust", "sql"]), new("c1", "ws", null), cancellationToken);
        _webAgent = await _store.Agents.RegisterAsync(new RegisterAgentCommand("webby", ["typescript"]), new("c2", "ws", null), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Create_WithAnUnfinishedDependency_WaitsAndIsReleasedWhenItCompletes()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var first = await _tasks.CreateAsync(new CreateTaskRequest("Write the lexer", RequiredCapabilities: ["rust"]), null, cancellationToken);
        using var updates = _events.Subscribe(EventKinds.TaskUpdated);

        // Act
        var second = await _tasks.CreateAsync(new CreateTaskRequest("Write the parser", DependsOn: [first.Id]), null, cancellationToken);
        var claimed = (await _tasks.ClaimNextAsync(_rustAgent, cancellationToken)).Task;
        await _tasks.CompleteAsync(first.Id, _rustAgent, "lexer merged", cancellationToken);
        var released = (await _tasks.GetAsync(second.Id, cancellationToken)).Task;

        // Assert
        Assert.Equal(AgentTaskStatus.Blocked, second.Status);
        Assert.Equal("blocked by task 'Write the lexer'", second.WaitingReason);
        Assert.Equal(first.Id, claimed!.Id);
        Assert.Equal(AgentTaskStatus.Ready, released.Status);
        Assert.Null(released.WaitingReason);
        var seen = new List<(string, AgentTaskStatus)>();
        await foreach (var change in updates.ReadAllAsync(cancellationToken))
        {
            var task = ((TaskChanged)change).Task;
            seen.Add((task.Title, task.Status));
            if (seen.Count == 4)
            {
                break;
            }
        }

        Assert.Equal(
            [("Write the parser", AgentTaskStatus.Blocked), ("Write the lexer", AgentTaskStatus.Running),
                ("Write the lexer", AgentTaskStatus.Completed), ("Write the parser", AgentTaskStatus.Ready)],
            seen);
    }

    [Fact]
    public async Task Create_UnknownDependency_IsRefusedNamingIt()
    {
        // Arrange
        var unknown = Guid.CreateVersion7();

        // Act
        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => _tasks.CreateAsync(
            new CreateTaskRequest("Orphan", DependsOn: [unknown]), null, TestContext.Current.CancellationToken));

        // Assert
        Assert.Contains(unknown.ToString(), error.Message);
        Assert.Empty(await _tasks.ListAsync(null, null, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    [InlineData(int.MaxValue)]
    public async Task List_LimitOutOfRange_IsRefusedNamingTheBounds(int limit)
    {
        // Act
        var error = await Assert.ThrowsAsync<DomainException>(() => _tasks.ListAsync(null, limit, TestContext.Current.CancellationToken));

        // Assert
        Assert.Equal("'limit' must be between 1 and 500.", error.Message);
    }

    [Fact]
    public async Task Complete_ByAnotherAgent_IsRefusedAndTheTaskRunsOn()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var task = await _tasks.CreateAsync(new CreateTaskRequest("Shared"), null, cancellationToken);
        await _tasks.ClaimNextAsync(_rustAgent, cancellationToken);

        // Act
        var error = await Assert.ThrowsAsync<DomainException>(() => _tasks.CompleteAsync(task.Id, _webAgent, "mine!", cancellationToken));

        // Assert
        Assert.Contains("being worked on by another agent", error.Message);
        Assert.Equal(AgentTaskStatus.Running, (await _tasks.GetAsync(task.Id, cancellationToken)).Task.Status);
    }

    [Fact]
    public async Task Fail_Retryable_WaitsWithinTheBackoffThenTheSweepMakesItReady()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var task = await _tasks.CreateAsync(new CreateTaskRequest("Flaky", MaxAttempts: 2), null, cancellationToken);
        await _tasks.ClaimNextAsync(_rustAgent, cancellationToken);

        // Act
        var failedAt = _time.GetUtcNow();
        var failed = await _tasks.FailAsync(task.Id, _rustAgent, "network blip", retryable: true, cancellationToken);
        var releasedEarly = await _tasks.ReleaseDueRetriesAsync(cancellationToken);
        _time.Advance(TimeSpan.FromSeconds(10));
        var released = await _tasks.ReleaseDueRetriesAsync(cancellationToken);
        var again = (await _tasks.ClaimNextAsync(_webAgent, cancellationToken)).Task;
        var details = await _tasks.GetAsync(task.Id, cancellationToken);

        // Assert
        Assert.Equal(AgentTaskStatus.WaitingForRetry, failed.Status);
        // Full jitter: anywhere from at once to the whole base delay, so it may even be due on the first sweep.
        Assert.InRange(failed.NextAttemptAt!.Value, failedAt, failedAt + TimeSpan.FromSeconds(10));
        Assert.Equal(1, releasedEarly + released);
        Assert.Equal(task.Id, again!.Id);
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Running], details.Attempts.Select(a => a.Outcome));
        Assert.Equal("network blip", details.Attempts[0].Reason);
    }

    [Fact]
    public async Task LateReport_AfterTheTaskWasCancelledAndRetried_IsRefused()
    {
        // Arrange: the first agent's attempt is cancelled; the task is retried and taken by another agent.
        var cancellationToken = TestContext.Current.CancellationToken;
        var task = await _tasks.CreateAsync(new CreateTaskRequest("Contested"), null, cancellationToken);
        await _tasks.ClaimNextAsync(_rustAgent, cancellationToken);
        await _tasks.CancelAsync(task.Id, "reassigning", cancellationToken);
        await _tasks.RetryAsync(task.Id, cancellationToken);
        await _tasks.ClaimNextAsync(_webAgent, cancellationToken);

        // Act
        var late = await Assert.ThrowsAsync<DomainException>(() => _tasks.CompleteAsync(task.Id, _rustAgent, "late", cancellationToken));
        var done = await _tasks.CompleteAsync(task.Id, _webAgent, "done", cancellationToken);

        // Assert
        Assert.Contains("another agent", late.Message);
        Assert.Equal(("done", AgentTaskStatus.Completed), (done.Result, done.Status));
    }

    [Fact]
    public async Task AgentGoneLongerThanTheLease_ItsTaskIsHandedOnAndItsLateReportRefused()
    {
        // Arrange: the agent holding the task drops off; it may come back within the 60 s lease.
        var cancellationToken = TestContext.Current.CancellationToken;
        var task = await _tasks.CreateAsync(new CreateTaskRequest("Long job"), null, cancellationToken);
        await _tasks.ClaimNextAsync(_rustAgent, cancellationToken);
        await _store.Agents.DisconnectAsync("c1", cancellationToken);

        // Act
        _time.Advance(TimeSpan.FromSeconds(59));
        var withinLease = await _tasks.InterruptAbandonedAsync(cancellationToken);
        _time.Advance(TimeSpan.FromSeconds(2));
        var pastLease = await _tasks.InterruptAbandonedAsync(cancellationToken);
        await _tasks.ReleaseDueRetriesAsync(cancellationToken);
        var handedOn = (await _tasks.ClaimNextAsync(_webAgent, cancellationToken)).Task;
        var back = await _store.Agents.RegisterAsync(new RegisterAgentCommand("rusty", ["rust"]), new("c3", "ws", null), cancellationToken);
        var late = await Assert.ThrowsAsync<DomainException>(() => _tasks.CompleteAsync(task.Id, back, "I was done", cancellationToken));
        var details = await _tasks.GetAsync(task.Id, cancellationToken);

        // Assert
        Assert.Equal((0, 1), (withinLease, pastLease));
        Assert.Equal(task.Id, handedOn!.Id);
        Assert.Contains("another agent", late.Message);
        var interrupted = details.Attempts[0];
        Assert.Equal(AttemptOutcome.Interrupted, interrupted.Outcome);
        Assert.Contains("agent 'rusty' went offline", interrupted.Reason);
        Assert.Equal(_webAgent.Id, details.Attempts[1].AgentId);
    }

    [Fact]
    public async Task Update_DependencyThatWouldCloseACycle_IsRefusedNamingThePath()
    {
        // Arrange: C waits for B, B waits for A.
        var cancellationToken = TestContext.Current.CancellationToken;
        var a = await _tasks.CreateAsync(new CreateTaskRequest("A"), null, cancellationToken);
        var b = await _tasks.CreateAsync(new CreateTaskRequest("B", DependsOn: [a.Id]), null, cancellationToken);
        var c = await _tasks.CreateAsync(new CreateTaskRequest("C", DependsOn: [b.Id]), null, cancellationToken);

        // Act
        var cycle = await Assert.ThrowsAsync<DomainException>(() =>
            _tasks.UpdateAsync(a.Id, new UpdateTaskRequest(DependsOn: [c.Id]), cancellationToken));
        var self = await Assert.ThrowsAsync<DomainException>(() =>
            _tasks.UpdateAsync(a.Id, new UpdateTaskRequest(DependsOn: [a.Id]), cancellationToken));

        // Assert
        Assert.Equal("Task 'A' cannot wait for 'C': that would close a cycle, since 'C' already waits for it ('C' waits for 'B' waits for 'A').", cycle.Message);
        Assert.Contains("cannot wait for 'A'", self.Message);
        Assert.Empty((await _tasks.GetAsync(a.Id, cancellationToken)).Task.DependsOn);
    }

    [Fact]
    public async Task Update_DependenciesAndFields_BlocksOrReleasesTheTask()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var first = await _tasks.CreateAsync(new CreateTaskRequest("First"), null, cancellationToken);
        var second = await _tasks.CreateAsync(new CreateTaskRequest("Second"), null, cancellationToken);

        // Act
        var blocked = await _tasks.UpdateAsync(second.Id, new UpdateTaskRequest(Title: "Second, later", Priority: "High", DependsOn: [first.Id]), cancellationToken);
        var released = await _tasks.UpdateAsync(second.Id, new UpdateTaskRequest(DependsOn: []), cancellationToken);
        await _tasks.ClaimNextAsync(_rustAgent, cancellationToken);
        var whileRunning = await Assert.ThrowsAsync<DomainException>(() =>
            _tasks.UpdateAsync(second.Id, new UpdateTaskRequest(Title: "too late"), cancellationToken));

        // Assert
        Assert.Equal((AgentTaskStatus.Blocked, "Second, later", Priority.High), (blocked.Status, blocked.Title, blocked.Priority));
        Assert.Equal(AgentTaskStatus.Ready, released.Status);
        Assert.Contains("while no attempt is under way", whileRunning.Message);
    }

    [Fact]
    public async Task Retry_OfATaskWhoseDependencyIsUnfinished_WaitsBlocked()
    {
        // Arrange: B waits for A, which is not done; B is cancelled meanwhile.
        var cancellationToken = TestContext.Current.CancellationToken;
        var a = await _tasks.CreateAsync(new CreateTaskRequest("A"), null, cancellationToken);
        var b = await _tasks.CreateAsync(new CreateTaskRequest("B", DependsOn: [a.Id]), null, cancellationToken);
        await _tasks.CancelAsync(b.Id, null, cancellationToken);

        // Act
        var retried = await _tasks.RetryAsync(b.Id, cancellationToken);

        // Assert
        Assert.Equal((AgentTaskStatus.Blocked, "blocked by task 'A'"), (retried.Status, retried.WaitingReason));
    }
}
