using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure;

/// <summary>
/// The hand-written task statements against EF Core's mapping: what one writes, the other reads back the same, in
/// both directions, with every column set.
/// </summary>
public sealed class TaskRowsTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly CoordinationEventBus _events = new();
    private TestStore _store = null!;
    private TaskService _tasks = null!;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStore.OpenAsync(_data.File("rows.db"), _time, _events, TestContext.Current.CancellationToken);
        _tasks = _store.CreateTaskService(_events, _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Save_EveryColumnSet_ReadsBackThroughEfCoreAndByHandUnchanged()
    {
        // Arrange: a child task with a parent, a dependency, a timeout, an isolation and two attempts, one ended.
        var cancellationToken = TestContext.Current.CancellationToken;
        var agent = await _store.Agents.RegisterAsync(new RegisterAgentCommand("ünï", ["c#", "日本語"]), new("c", "ws", null), cancellationToken);
        var parent = await _tasks.CreateAsync(new CreateTaskRequest("Parent", RequiredCapabilities: ["nobody"]), agent, cancellationToken);
        var dependency = await _tasks.CreateAsync(new CreateTaskRequest("Dependency"), agent, cancellationToken);
        await _tasks.ClaimNextAsync(agent, cancellationToken);
        await _tasks.CompleteAsync(dependency.Id, agent, "done", cancellationToken);
        var child = await _tasks.CreateAsync(new CreateTaskRequest("Child \"quoted\"", "Body ünï", ["C#", "日本語"], "high",
            DependsOn: [dependency.Id], ParentTaskId: parent.Id, MaxAttempts: 4, TimeoutSeconds: 5_400, Isolation: "shared", Paths: ["src/ünï/**", "README.md"]),
            agent, cancellationToken);
        await _tasks.ClaimNextAsync(agent, cancellationToken);
        _time.Advance(TimeSpan.FromSeconds(2));
        await _tasks.ReportProgressAsync(child.Id, agent, "halfway", cancellationToken);
        await _tasks.FailAsync(child.Id, agent, "flaky test", retryable: true, cancellationToken);

        // Act
        var byHand = await _store.Writer.ExecuteAsync(new FindTask(child.Id), cancellationToken);
        await using var db = TestDatabase.Open(_store.DatabasePath);
        var byEf = await db.Tasks.AsNoTracking().Include(t => t.Attempts).Include(t => t.Dependencies)
            .SingleAsync(t => t.Id == child.Id, cancellationToken);

        // Assert
        Assert.Equal(Describe(byEf), Describe(byHand!));
        Assert.Equal(TimeSpan.FromSeconds(5_400), byEf.Timeout);
        Assert.Equal(TaskIsolation.Shared, byEf.Isolation);
        Assert.Equal(parent.Id, byEf.ParentTaskId);
        Assert.Equal(["C#", "日本語"], byEf.RequiredCapabilities);
        Assert.Equal(AgentTaskStatus.WaitingForRetry, byEf.Status);
        var attempt = Assert.Single(byEf.Attempts);
        Assert.Equal(AttemptOutcome.Failed, attempt.Outcome);
        Assert.Equal("flaky test", attempt.Reason);
        Assert.Equal(agent.Id, attempt.AgentId);
        Assert.Equal(dependency.Id, Assert.Single(byEf.Dependencies).DependsOnTaskId);
        Assert.Equal(["src/ünï/**", "README.md"], byEf.Paths);
    }

    [Fact]
    public async Task Save_RetriedCompletedAndReleased_EveryChangedColumnIsStored()
    {
        // Arrange: a task failed once, retried by hand, claimed again and completed, which releases a blocked dependent;
        // saving writes only the columns that changed, so each move must leave the row as the domain holds it.
        var cancellationToken = TestContext.Current.CancellationToken;
        var agent = await _store.Agents.RegisterAsync(new RegisterAgentCommand("retrier", ["build"]), new("c", "ws", null), cancellationToken);
        var task = await _tasks.CreateAsync(new CreateTaskRequest("Flaky", RequiredCapabilities: ["build"], MaxAttempts: 3), agent, cancellationToken);
        var dependent = await _tasks.CreateAsync(new CreateTaskRequest("After", RequiredCapabilities: ["nobody"], DependsOn: [task.Id]), agent, cancellationToken);
        await _tasks.ClaimNextAsync(agent, cancellationToken);
        await _tasks.ReportProgressAsync(task.Id, agent, "first try", cancellationToken);
        await _tasks.FailAsync(task.Id, agent, "flaky test", retryable: true, cancellationToken);
        await _tasks.RetryAsync(task.Id, cancellationToken);
        _time.Advance(TimeSpan.FromSeconds(3));
        await _tasks.ClaimNextAsync(agent, cancellationToken);

        // Act
        await _tasks.CompleteAsync(task.Id, agent, "green", cancellationToken);

        // Assert
        await using var db = TestDatabase.Open(_store.DatabasePath);
        foreach (var id in new[] { task.Id, dependent.Id })
        {
            var byHand = await _store.Writer.ExecuteAsync(new FindTask(id), cancellationToken);
            var byEf = await db.Tasks.AsNoTracking().Include(t => t.Attempts).Include(t => t.Dependencies).SingleAsync(t => t.Id == id, cancellationToken);
            Assert.Equal(Describe(byHand!), Describe(byEf));
        }

        var completed = await db.Tasks.AsNoTracking().Include(t => t.Attempts).SingleAsync(t => t.Id == task.Id, cancellationToken);
        Assert.Equal(AgentTaskStatus.Completed, completed.Status);
        Assert.Equal("green", completed.Result);
        Assert.Equal(_time.GetUtcNow(), completed.CompletedAt);
        Assert.Null(completed.LeaseExpiresAt);
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Succeeded], completed.Attempts.OrderBy(a => a.Number).Select(a => a.Outcome));
        Assert.Equal(_time.GetUtcNow(), completed.Attempts.Single(a => a.Number == 2).EndedAt);
        var released = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == dependent.Id, cancellationToken);
        Assert.Equal(AgentTaskStatus.Ready, released.Status);
        Assert.Null(released.WaitingReason);
    }

    /// <summary>Every stored field of the task and its attempts, for comparing two reads of it.</summary>
    private static string Describe(AgentTask task) => JsonSerializer.Serialize(new
    {
        task.Id, task.Title, task.Description, task.RequiredCapabilities, task.Priority, task.Status, task.WaitingReason,
        task.ParentTaskId, task.ProjectId, task.Timeout, task.Isolation, task.Branch, task.ChangedFiles,
        task.AssigneeAgentId, task.CreatedByAgentId, task.MaxAttempts, task.NextAttemptAt, task.LeaseExpiresAt,
        task.Progress, task.Result, task.CreatedAt, task.UpdatedAt, task.CompletedAt, task.Paths,
        Attempts = task.Attempts.OrderBy(a => a.Number).Select(a => new { a.Id, a.Number, a.AgentId, a.WorkerId, a.StartedAt, a.EndedAt, a.Outcome, a.Reason }),
        Dependencies = task.Dependencies.Select(d => d.DependsOnTaskId).Order(),
    });

    private sealed class FindTask(Guid taskId) : IWriteCommand<AgentTask?>
    {
        public AgentTask? Execute(WriteContext context) => TaskRows.Find(context, taskId)?.Task;
    }
}
