using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;

namespace VibeEnsemble.Tests.Domain;

/// <summary>The task state machine: every allowed move, the refused ones, and fencing by attempt.</summary>
public sealed class AgentTaskTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid s_agent = Guid.CreateVersion7();

    [Fact]
    public void Create_NoDependencies_IsReady()
    {
        // Act
        var task = NewTask();

        // Assert
        Assert.Equal(AgentTaskStatus.Ready, task.Status);
        Assert.Null(task.WaitingReason);
        Assert.Null(task.CurrentAttempt);
    }

    [Fact]
    public void BlockThenUnblock_WaitsWithAReasonThenIsReady()
    {
        // Arrange
        var task = NewTask();

        // Act
        task.Block(["Write the lexer"], s_now);
        var whileBlocked = (task.Status, task.WaitingReason);
        task.Unblock(s_now.AddMinutes(1));

        // Assert
        Assert.Equal((AgentTaskStatus.Blocked, "blocked by task 'Write the lexer'"), whileBlocked);
        Assert.Equal(AgentTaskStatus.Ready, task.Status);
        Assert.Null(task.WaitingReason);
    }

    [Fact]
    public void Blocked_CannotBeClaimed()
    {
        // Arrange
        var task = NewTask();
        task.Block(["A", "B"], s_now);

        // Act
        var error = Assert.Throws<DomainException>(() => task.Claim(s_agent, null, s_now));

        // Assert
        Assert.Equal("Cannot start an attempt at task 'Parse' while it is Blocked.", error.Message);
    }

    [Fact]
    public void AssignStartComplete_RecordsASucceededAttemptAndTheResult()
    {
        // Arrange
        var task = NewTask();

        // Act
        var attempt = task.Assign(s_agent, null, s_now.AddSeconds(60), s_now);
        var assigned = (task.Status, task.LeaseExpiresAt);
        task.Start(attempt.Id, s_now.AddSeconds(5));
        task.ReportProgress(attempt.Id, "tokens done", s_now.AddSeconds(6));
        task.Complete(attempt.Id, "parser merged", s_now.AddSeconds(9));

        // Assert
        Assert.Equal((AgentTaskStatus.Assigned, (DateTimeOffset?)s_now.AddSeconds(60)), assigned);
        Assert.Equal(AgentTaskStatus.Completed, task.Status);
        Assert.Equal("parser merged", task.Result);
        Assert.Equal(AttemptOutcome.Succeeded, attempt.Outcome);
        Assert.Equal(s_now.AddSeconds(9), attempt.EndedAt);
        Assert.Null(task.LeaseExpiresAt);
        Assert.Equal(s_now.AddSeconds(9), task.CompletedAt);
    }

    [Fact]
    public void Fail_WithAttemptsLeft_WaitsForRetryThenIsReadyWhenDue()
    {
        // Arrange
        var task = NewTask(maxAttempts: 2);
        var first = task.Claim(s_agent, null, s_now);

        // Act
        task.Fail(first.Id, AttemptOutcome.Failed, "tests red", retryable: true, s_now.AddSeconds(5), s_now);
        var waiting = (task.Status, task.NextAttemptAt);
        var early = Assert.Throws<DomainException>(() => task.RetryDue(s_now.AddSeconds(4)));
        task.RetryDue(s_now.AddSeconds(5));
        var second = task.Claim(s_agent, null, s_now.AddSeconds(6));

        // Assert
        Assert.Equal((AgentTaskStatus.WaitingForRetry, (DateTimeOffset?)s_now.AddSeconds(5)), waiting);
        Assert.Contains("not due before", early.Message);
        Assert.Equal(2, second.Number);
        Assert.Equal(AttemptOutcome.Failed, first.Outcome);
        Assert.Equal("tests red", first.Reason);
    }

    [Fact]
    public void Fail_LastAttempt_FailsForGoodWithTheReason()
    {
        // Arrange
        var task = NewTask(maxAttempts: 1);
        var only = task.Claim(s_agent, null, s_now);

        // Act
        task.Fail(only.Id, AttemptOutcome.TimedOut, "no output for 10 min", retryable: true, s_now, s_now);

        // Assert
        Assert.Equal(AgentTaskStatus.Failed, task.Status);
        Assert.Equal("all 1 attempts failed; the last timed out: no output for 10 min", task.WaitingReason);
        Assert.Throws<DomainException>(() => task.Claim(s_agent, null, s_now));
    }

    [Fact]
    public void Fail_NotRetryable_FailsAtOnceWhateverIsLeft()
    {
        // Arrange
        var task = NewTask(maxAttempts: 5);
        var attempt = task.Claim(s_agent, null, s_now);

        // Act
        task.Fail(attempt.Id, AttemptOutcome.Failed, "the spec is contradictory", retryable: false, s_now, s_now);

        // Assert
        Assert.Equal(AgentTaskStatus.Failed, task.Status);
        Assert.Contains("not worth retrying", task.WaitingReason);
    }

    [Fact]
    public void Reports_FromASupersededAttempt_AreRefusedAndChangeNothing()
    {
        // Arrange: attempt 1 timed out, attempt 2 runs; then attempt 1's worker reports late.
        var task = NewTask();
        var first = task.Claim(s_agent, null, s_now);
        task.Fail(first.Id, AttemptOutcome.TimedOut, "timeout", retryable: true, s_now, s_now);
        task.RetryDue(s_now);
        var second = task.Claim(s_agent, null, s_now);

        // Act
        var complete = Assert.Throws<StaleAttemptException>(() => task.Complete(first.Id, "late result", s_now));
        var progress = Assert.Throws<StaleAttemptException>(() => task.ReportProgress(first.Id, "late", s_now));
        var fail = Assert.Throws<StaleAttemptException>(() => task.Fail(first.Id, AttemptOutcome.Failed, "late", true, s_now, s_now));

        // Assert
        Assert.Equal(first.Id, complete.AttemptId);
        Assert.Contains("attempt 2 has taken over", complete.Message);
        Assert.NotNull(progress);
        Assert.NotNull(fail);
        Assert.Equal(AgentTaskStatus.Running, task.Status);
        Assert.Null(task.Result);
        Assert.Same(second, task.CurrentAttempt);
    }

    [Fact]
    public void Complete_AfterTheAttemptEnded_IsRefused()
    {
        // Arrange
        var task = NewTask();
        var attempt = task.Claim(s_agent, null, s_now);
        task.Cancel("not needed", s_now);

        // Act
        var error = Assert.Throws<StaleAttemptException>(() => task.Complete(attempt.Id, "done", s_now));

        // Assert
        Assert.Contains("has ended", error.Message);
        Assert.Equal(AgentTaskStatus.Cancelled, task.Status);
        Assert.Equal(AttemptOutcome.Cancelled, attempt.Outcome);
    }

    [Fact]
    public void RetryNow_FailedWithNoAttemptsLeft_GetsOneMoreAttempt()
    {
        // Arrange
        var task = NewTask(maxAttempts: 1);
        var only = task.Claim(s_agent, null, s_now);
        task.Fail(only.Id, AttemptOutcome.Crashed, "exit 137", retryable: true, s_now, s_now);

        // Act
        task.RetryNow(s_now);
        var again = task.Claim(s_agent, null, s_now);

        // Assert
        Assert.Equal(2, again.Number);
        Assert.Equal(2, task.MaxAttempts);
        Assert.Equal(AgentTaskStatus.Running, task.Status);
    }

    [Theory]
    [InlineData(AgentTaskStatus.Completed)]
    [InlineData(AgentTaskStatus.Cancelled)]
    [InlineData(AgentTaskStatus.Failed)]
    public void Cancel_FinishedTask_IsRefused(AgentTaskStatus finished)
    {
        // Arrange
        var task = NewTask(maxAttempts: 1);
        var attempt = task.Claim(s_agent, null, s_now);
        switch (finished)
        {
            case AgentTaskStatus.Completed:
                task.Complete(attempt.Id, null, s_now);
                break;
            case AgentTaskStatus.Cancelled:
                task.Cancel(null, s_now);
                break;
            default:
                task.Fail(attempt.Id, AttemptOutcome.Failed, "no", false, s_now, s_now);
                break;
        }

        // Act
        var error = Assert.Throws<DomainException>(() => task.Cancel("again", s_now));

        // Assert
        Assert.Contains($"already {finished}", error.Message);
    }

    [Fact]
    public void Complete_WhileReady_IsRefused()
    {
        // Arrange
        var task = NewTask();

        // Act
        var error = Assert.Throws<StaleAttemptException>(() => task.Complete(Guid.CreateVersion7(), "?", s_now));

        // Assert
        Assert.Equal(AgentTaskStatus.Ready, task.Status);
        Assert.Contains("has ended", error.Message);
    }

    [Fact]
    public void Fail_WithABlankReason_IsRefusedAndTheAttemptRunsOn()
    {
        // Arrange
        var task = NewTask();
        var attempt = task.Claim(s_agent, null, s_now);

        // Act
        Assert.Throws<DomainException>(() => task.Fail(attempt.Id, AttemptOutcome.Failed, "  ", true, s_now, s_now));

        // Assert
        Assert.Equal(AgentTaskStatus.Running, task.Status);
        Assert.Equal(AttemptOutcome.Running, attempt.Outcome);
    }

    private static AgentTask NewTask(int maxAttempts = AgentTask.DefaultMaxAttempts) =>
        AgentTask.Create("Parse", "Write the parser.", ["c#"], Priority.Normal, null, s_now, maxAttempts);
}
