using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure;

/// <summary>Claiming the next task: which one an agent gets, and waiting for one.</summary>
public sealed partial class TaskServiceTests
{
    [Fact]
    public async Task ClaimNext_TakesTheMostUrgentTaskTheAgentCanDo()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await _tasks.CreateAsync(new CreateTaskRequest("Old normal rust", RequiredCapabilities: ["rust"]), null, cancellationToken);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _tasks.CreateAsync(new CreateTaskRequest("Critical web", RequiredCapabilities: ["TypeScript"], Priority: "critical"), null, cancellationToken);
        await _tasks.CreateAsync(new CreateTaskRequest("High rust+sql", RequiredCapabilities: ["RUST", "SQL"], Priority: "High"), null, cancellationToken);
        await _tasks.CreateAsync(new CreateTaskRequest("Critical go", RequiredCapabilities: ["go"], Priority: "Critical"), null, cancellationToken);

        // Act
        var first = (await _tasks.ClaimNextAsync(_rustAgent, cancellationToken)).Task;
        var second = (await _tasks.ClaimNextAsync(_rustAgent, cancellationToken)).Task;
        var third = await _tasks.ClaimNextAsync(_rustAgent, cancellationToken);
        var web = (await _tasks.ClaimNextAsync(_webAgent, cancellationToken)).Task;

        // Assert
        Assert.Equal("High rust+sql", first!.Title);
        Assert.Equal("Old normal rust", second!.Title);
        Assert.Null(third.Task);
        Assert.Equal("No ready task needs only capabilities you have (Rust, sql). Ask again later.", third.Message);
        Assert.Equal("Critical web", web!.Title);
        Assert.Equal(_webAgent.Id, web.AssigneeAgentId);
    }

    [Fact]
    public async Task ClaimNext_AmongEqualPriorities_TakesTheOldestItCanDo()
    {
        // Arrange: one second apart, in this order; the rust agent cannot do "Normal go"
        var cancellationToken = TestContext.Current.CancellationToken;
        (string Title, string Priority, string[] Needs)[] created =
        [
            ("Low rust", "Low", ["rust"]), ("Normal go", "Normal", ["go"]), ("Normal rust, older", "Normal", ["rust"]),
            ("Normal rust, newer", "Normal", ["rust"]), ("Normal untagged, newest", "Normal", []),
        ];
        foreach (var (title, priority, needs) in created)
        {
            await _tasks.CreateAsync(new CreateTaskRequest(title, RequiredCapabilities: needs, Priority: priority), null, cancellationToken);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // Act
        var claimed = new List<string>();
        while ((await _tasks.ClaimNextAsync(_rustAgent, cancellationToken)).Task is { } task)
        {
            claimed.Add(task.Title);
        }

        // Assert: by priority, then oldest first; the go task is left for someone who can do it
        Assert.Equal(["Normal rust, older", "Normal rust, newer", "Normal untagged, newest", "Low rust"], claimed);
    }

    [Fact]
    public async Task ClaimNext_Waiting_ReturnsTheTaskThatBecomesReadyMeanwhile()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var waiting = _tasks.ClaimNextAsync(_webAgent, cancellationToken, TimeSpan.FromSeconds(30));

        // Act: a task the agent cannot do, then one it can.
        await _tasks.CreateAsync(new CreateTaskRequest("Rust only", RequiredCapabilities: ["rust"]), null, cancellationToken);
        var web = await _tasks.CreateAsync(new CreateTaskRequest("Web", RequiredCapabilities: ["typescript"]), null, cancellationToken);
        var claimed = await waiting.WaitAsync(TestConstants.DefaultTimeout, cancellationToken);

        // Assert
        Assert.Equal(web.Id, claimed.Task!.Id);
        Assert.Equal(AgentTaskStatus.Running, claimed.Task.Status);
    }

    [Fact]
    public async Task ClaimNext_WaitRunsOut_SaysWhyThereIsNone()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var waiting = _tasks.ClaimNextAsync(_webAgent, cancellationToken, TimeSpan.FromSeconds(30));

        // Act
        _time.Advance(TimeSpan.FromSeconds(30));
        var result = await waiting.WaitAsync(TestConstants.DefaultTimeout, cancellationToken);

        // Assert
        Assert.Null(result.Task);
        Assert.Contains("Ask again later", result.Message);
        await Assert.ThrowsAsync<DomainException>(() => _tasks.ClaimNextAsync(_webAgent, cancellationToken, TimeSpan.FromSeconds(56)));
    }
}
