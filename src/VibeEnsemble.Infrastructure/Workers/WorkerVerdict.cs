using System.Globalization;
using System.Text.RegularExpressions;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Workers.Output;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>Why an attempt failed, because each kind is retried differently.</summary>
public enum WorkerFailure
{
    None,

    /// <summary>The model API failed (5xx, overloaded) after Claude Code's own retries: retry with backoff.</summary>
    ModelApiError,

    /// <summary>A rate or usage limit: park the task and the profile until the reset, never respawn at once.</summary>
    RateLimit,

    /// <summary>The session said the task failed, or ended its run with an error result.</summary>
    TaskFailure,

    TimedOut,

    /// <summary>The process could not start, died, or ended without a result.</summary>
    Crashed,

    /// <summary>Stopped on purpose (cancel_task, stop_worker, shutdown).</summary>
    Stopped,
}

/// <summary>How a worker's attempt ended, decided from what the process did and printed.</summary>
public sealed partial record WorkerVerdict(
    bool Succeeded, string? Result, WorkerFailure Failure, AttemptOutcome Outcome, string Reason, bool Retryable)
{
    /// <summary>When a limit with no known reset parks a profile, it parks it this long.</summary>
    public static readonly TimeSpan UnknownResetPark = TimeSpan.FromMinutes(15);

    /// <summary>Until when a rate-limited profile is parked; null for every other failure.</summary>
    public DateTimeOffset? ParkUntil { get; init; }

    /// <summary>What the process did, as observed by the supervisor.</summary>
    public sealed record Observed(
        int? ExitCode, StreamJsonEvent? Result, string? AssistantError, bool TimedOut, string? StoppedBecause,
        string? StartFailure, string? StderrTail, bool StopRetryable = false);

    public static WorkerVerdict Decide(Observed seen, DateTimeOffset now)
    {
        if (seen.StartFailure is { } cannotStart)
        {
            return Fail(WorkerFailure.Crashed, AttemptOutcome.Crashed, $"the worker could not start: {cannotStart}", retryable: false);
        }

        if (seen.StoppedBecause is { } why)
        {
            return Fail(WorkerFailure.Stopped, AttemptOutcome.Interrupted, why, seen.StopRetryable);
        }

        if (seen.TimedOut)
        {
            return Fail(WorkerFailure.TimedOut, AttemptOutcome.TimedOut, "the attempt ran past its timeout and its processes were stopped", retryable: true);
        }

        var result = seen.Result;
        if (result is { IsError: false } && seen.ExitCode == 0)
        {
            return new(true, result.ResultText, WorkerFailure.None, AttemptOutcome.Succeeded, "", false);
        }

        // An API failure ends with subtype "success" and is_error true: classified by status and error, not by text.
        if (result?.ApiErrorStatus == 429 || seen.AssistantError == "rate_limit")
        {
            var reset = ResetTime(result?.ResultText) ?? now + UnknownResetPark;
            return Fail(WorkerFailure.RateLimit, AttemptOutcome.Failed,
                $"rate or usage limit reached ({Short(result?.ResultText)}); the profile is parked until {reset:u}", retryable: true)
                with { ParkUntil = reset };
        }

        if (result is { IsError: true } && (result.ApiErrorStatus is >= 500 || seen.AssistantError is not null))
        {
            return Fail(WorkerFailure.ModelApiError, AttemptOutcome.Failed,
                $"the model API failed ({result.ApiErrorStatus?.ToString(CultureInfo.InvariantCulture) ?? seen.AssistantError}): {Short(result.ResultText)}", retryable: true);
        }

        if (result is { IsError: true })
        {
            // Authentication cannot fix itself between attempts; everything else (max turns, budget, a tool loop) may.
            var auth = result.ApiErrorStatus is 401 or 403 || result.ResultText?.Contains("/login", StringComparison.Ordinal) == true;
            return Fail(WorkerFailure.TaskFailure, AttemptOutcome.Failed,
                $"the session ended with an error ({result.Subtype}): {Short(result.ResultText)}", retryable: !auth);
        }

        if (result is not null)
        {
            return Fail(WorkerFailure.Crashed, AttemptOutcome.Crashed,
                $"the process exited with code {seen.ExitCode} after a result{Stderr(seen)}", retryable: true);
        }

        return seen.ExitCode == 0
            ? Fail(WorkerFailure.Crashed, AttemptOutcome.Failed, $"the process exited 0 without a result{Stderr(seen)}", retryable: true)
            : Fail(WorkerFailure.Crashed, AttemptOutcome.Crashed, $"the process exited with code {seen.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"} without a result{Stderr(seen)}", retryable: true);
    }

    /// <summary>A reset time in a usage-limit text: "…|1767225600" (epoch seconds), as Claude Code has printed it.</summary>
    private static DateTimeOffset? ResetTime(string? text) =>
        text is not null && EpochPattern().Match(text) is { Success: true } match
            && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static WorkerVerdict Fail(WorkerFailure failure, AttemptOutcome outcome, string reason, bool retryable) =>
        new(false, null, failure, outcome, reason, retryable);

    private static string Short(string? text) => text is null ? "no text" : text.Length <= 300 ? text : text[..300] + "…";

    private static string Stderr(Observed seen) => string.IsNullOrWhiteSpace(seen.StderrTail) ? "" : $"; stderr: {Short(seen.StderrTail.Trim())}";

    [GeneratedRegex(@"\|(\d{10})\b")]
    private static partial Regex EpochPattern();
}
