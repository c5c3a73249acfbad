using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Infrastructure.Workers;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure.Workers;

/// <summary>The scheduler's plain-SQL read of the ready tasks, against EF Core's reading of the same rows.</summary>
public sealed class ReadyTasksTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly CoordinationEventBus _events = new();
    private TestStore _store = null!;
    private TaskService _tasks = null!;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStore.OpenAsync(_data.File("ready.db"), _time, _events, TestContext.Current.CancellationToken);
        _tasks = _store.CreateTaskService(_events, _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task ReadAsync_ReadyTasks_AsEfCoreReadsThem_MostUrgentThenOldestFirst()
    {
        // Arrange: priorities out of order, a second apart; one task with every field the scheduler reads set; one
        // task claimed, so not ready.
        var cancellationToken = TestContext.Current.CancellationToken;
        var agent = await _store.Agents.RegisterAsync(new RegisterAgentCommand("taker", []), new("c", "ws", null), cancellationToken);
        await _tasks.CreateAsync(new CreateTaskRequest("Claimed", Priority: "critical"), agent, cancellationToken);
        await _tasks.ClaimNextAsync(agent, cancellationToken);
        foreach (var (title, priority) in new[] { ("Low", "low"), ("High, older", "high"), ("Normal", "normal") })
        {
            await _tasks.CreateAsync(new CreateTaskRequest(title, Priority: priority), agent, cancellationToken);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var full = await _tasks.CreateAsync(new CreateTaskRequest("High, newer \"ünï\"", RequiredCapabilities: ["C#", "日本語"],
            Priority: "high", Paths: ["src/ünï/**", "README.md"]), agent, cancellationToken);
        await SetAsync(full.Id, "WaitingReason = 'waiting for a worker slot', ProjectId = 'A1B2C3D4-0000-4000-8000-00000000000F'");

        // Act
        var ready = await ReadyTasks.ReadAsync(_store.DatabasePath, cancellationToken);

        // Assert
        Assert.Equal(["High, older", "High, newer \"ünï\"", "Normal", "Low"], ready.Select(t => t.Title));
        await using var db = TestDatabase.Open(_store.DatabasePath);
        var byEf = await db.Tasks.AsNoTracking().Where(t => t.Status == AgentTaskStatus.Ready).ToListAsync(cancellationToken);
        Assert.Equal(byEf.Count, ready.Count);
        foreach (var task in ready)
        {
            var stored = byEf.Single(t => t.Id == task.Id);
            Assert.Equal(
                Describe(stored.Priority, stored.CreatedAt, stored.RequiredCapabilities, stored.ProjectId, stored.WaitingReason, stored.Paths),
                Describe(task.Priority, task.CreatedAt, task.RequiredCapabilities, task.ProjectId, task.WaitingReason, task.Paths));
        }

        Assert.Equal(Guid.Parse("a1b2c3d4-0000-4000-8000-00000000000f"), ready[1].ProjectId);
    }

    private static string Describe(object priority, DateTimeOffset createdAt, IReadOnlyList<string> capabilities, Guid? projectId,
        string? waitingReason, IReadOnlyList<string> paths) =>
        $"{priority}|{createdAt.UtcTicks}|{string.Join(',', capabilities)}|{projectId}|{waitingReason}|{string.Join(',', paths)}";

    private async Task SetAsync(Guid taskId, string assignments)
    {
        await using var connection = new SqliteConnection($"Data Source={_store.DatabasePath}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE Tasks SET {assignments} WHERE Id = $id";
        command.Parameters.AddWithValue("$id", AgentRow.StoredId(taskId));
        Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }
}
