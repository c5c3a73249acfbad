using VibeEnsemble.Infrastructure.Workers;
using VibeEnsemble.Infrastructure.Workers.Output;

namespace VibeEnsemble.Tests.Infrastructure.Workers;

/// <summary>
/// The outcome of a worker from what it printed and how it exited, for the shapes measured with Claude Code 2.1.x
/// (orchestration notes): an API failure is a "success" subtype with is_error, exit 0 without a result is a failure.
/// </summary>
public sealed class WorkerVerdictTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Decide_ExitZeroWithResult_Succeeds()
    {
        // Arrange
        var result = StreamJsonEvent.Parse("""{"type":"result","subtype":"success","is_error":false,"result":"all done","num_turns":3,"total_cost_usd":0.12}""");

        // Act
        var verdict = WorkerVerdict.Decide(Seen(0, result), s_now);

        // Assert
        Assert.True(verdict.Succeeded);
        Assert.Equal("all done", verdict.Result);
        Assert.Equal((3, 0.12m), (result.Turns, result.CostUsd));
    }

    [Theory]
    [InlineData("""{"type":"result","subtype":"success","is_error":true,"api_error_status":529,"result":"API Error: overloaded"}""", 1, WorkerFailure.ModelApiError, true)]
    [InlineData("""{"type":"result","subtype":"success","is_error":true,"api_error_status":null,"result":"Not logged in · Please run /login"}""", 1, WorkerFailure.TaskFailure, false)]
    [InlineData("""{"type":"result","subtype":"error_max_turns","is_error":true,"result":"max turns"}""", 1, WorkerFailure.TaskFailure, true)]
    [InlineData("""{"type":"result","subtype":"success","is_error":true,"result":"API Error"}""", 0, WorkerFailure.TaskFailure, true)]
    [InlineData(null, 0, WorkerFailure.Crashed, true)]
    [InlineData(null, 137, WorkerFailure.Crashed, true)]
    public void Decide_Failures_AreClassifiedByStatusAndExit_NotByText(string? resultLine, int exitCode, WorkerFailure expected, bool retryable)
    {
        // Arrange
        var result = resultLine is null ? null : StreamJsonEvent.Parse(resultLine);

        // Act
        var verdict = WorkerVerdict.Decide(Seen(exitCode, result), s_now);

        // Assert
        Assert.False(verdict.Succeeded);
        Assert.Equal((expected, retryable), (verdict.Failure, verdict.Retryable));
        Assert.False(string.IsNullOrWhiteSpace(verdict.Reason));
    }

    [Fact]
    public void Decide_ExitZeroWithoutAnyResult_IsAFailureNotASuccess()
    {
        // Act
        var verdict = WorkerVerdict.Decide(Seen(0, null), s_now);

        // Assert
        Assert.False(verdict.Succeeded);
        Assert.Contains("exited 0 without a result", verdict.Reason);
    }

    [Fact]
    public void Decide_UsageLimitWithResetTime_ParksUntilThatTime()
    {
        // Arrange
        var reset = s_now.AddHours(3);
        var result = StreamJsonEvent.Parse($$"""{"type":"result","subtype":"success","is_error":true,"api_error_status":429,"result":"Claude AI usage limit reached|{{reset.ToUnixTimeSeconds()}}"}""");

        // Act
        var verdict = WorkerVerdict.Decide(Seen(1, result), s_now);

        // Assert
        Assert.Equal(WorkerFailure.RateLimit, verdict.Failure);
        Assert.Equal(reset, verdict.ParkUntil);
    }

    [Fact]
    public void Decide_RateLimitFromTheAssistantErrorWithoutReset_ParksForTheLongBackoff()
    {
        // Arrange
        var assistant = StreamJsonEvent.Parse("""{"type":"assistant","error":"rate_limit","message":{"model":"<synthetic>","content":[{"type":"text","text":"API Error: 429"}]}}""");
        var result = StreamJsonEvent.Parse("""{"type":"result","subtype":"success","is_error":true,"result":"API Error: 429"}""");

        // Act
        var verdict = WorkerVerdict.Decide(Seen(1, result) with { AssistantError = assistant.AssistantError }, s_now);

        // Assert
        Assert.Equal(WorkerFailure.RateLimit, verdict.Failure);
        Assert.Equal(s_now + WorkerVerdict.UnknownResetPark, verdict.ParkUntil);
    }

    [Theory]
    [InlineData("not json at all", StreamJsonKind.Raw)]
    [InlineData("{\"type\":\"result\",", StreamJsonKind.Raw)]
    [InlineData("""{"type":"brand_new_type"}""", StreamJsonKind.Raw)]
    [InlineData("""{"type":"system","subtype":"task_notification"}""", StreamJsonKind.System)]
    [InlineData("""{"type":"system","subtype":"api_retry","attempt":2,"max_retries":10,"error_status":529,"error":"overloaded"}""", StreamJsonKind.ApiRetry)]
    [InlineData("""{"type":"assistant","message":{"content":[{"type":"tool_use","name":"Bash","input":{"command":"ls"}}]}}""", StreamJsonKind.ToolUse)]
    [InlineData("""{"type":"user","message":{"content":[{"type":"tool_result","content":"ok"}]}}""", StreamJsonKind.ToolResult)]
    public void Parse_AnyLine_NeverThrows_AndUnknownShapesStayText(string line, StreamJsonKind expected)
    {
        // Act
        var parsed = StreamJsonEvent.Parse(line);

        // Assert
        Assert.Equal(expected, parsed.Kind);
    }

    [Fact]
    public void Parse_MultiMegabyteLine_KeepsOnlyAShortSummary()
    {
        // Arrange
        var text = new string('x', 5 * 1024 * 1024);

        // Act
        var parsed = StreamJsonEvent.Parse($$$"""{"type":"assistant","message":{"content":[{"type":"text","text":"{{{text}}}"}]}}""");

        // Assert
        Assert.Equal(StreamJsonKind.AssistantText, parsed.Kind);
        Assert.True(parsed.Summary.Length <= StreamJsonEvent.SummaryMaxChars + 1);
    }

    private static WorkerVerdict.Observed Seen(int exitCode, StreamJsonEvent? result) =>
        new(exitCode, result, null, TimedOut: false, StoppedBecause: null, StartFailure: null, StderrTail: null);
}
