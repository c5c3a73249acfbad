using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Tasks;

namespace VibeEnsemble.Infrastructure.Permissions;

/// <summary>Who asks for a permission, and where it works: a spawned worker's task, project and profile.</summary>
public sealed record PermissionCaller(
    Guid? AgentId, Guid? WorkerId = null, Guid? TaskId = null, Guid? AttemptId = null, string? WorkingDirectory = null,
    string? ProjectName = null, string? ProfileName = null);

/// <summary>The answer a tool call gets: allowed (with the input to run, perhaps edited) or denied with a message for the model.</summary>
public sealed record PermissionVerdict(Guid RequestId, bool Allowed, JsonElement Input, string Message);

/// <summary>A person's or the coordinator's answer to a pending request.</summary>
/// <param name="UpdatedInput">The tool input to run instead, as a JSON object; only with an approval.</param>
/// <param name="Remember">Also store a rule from this decision, so the same call is not asked about again.</param>
/// <param name="RememberScope">Where that rule goes: server, or the request's project (default) or profile.</param>
public sealed record PermissionDecision(
    bool Approve, string? Message = null, JsonElement? UpdatedInput = null, bool Remember = false, string? RememberScope = null);

/// <summary>
/// Decides every tool call a worker's own settings do not already allow: the policy answers at once with allow or
/// deny, or the call waits (a pending request pushed to the dashboard and the coordinator) until someone answers or
/// the timeout denies it. Every decision is stored as the audit record. Pending calls wait in memory here; the rows
/// are the truth, so a decision is committed before the waiting call hears it.
/// </summary>
public sealed partial class PermissionBroker(
    IDurableWriter writer, PermissionRuleService rules, TaskService tasks, IDbContextFactory<VibeEnsembleDbContext> dbFactory,
    CoordinationEventBus events, IOptions<PermissionOptions> options, TimeProvider time, ILogger<PermissionBroker> logger)
{
    public const int MaxInputChars = PermissionRequest.MaxInputChars;

    /// <summary>Requests that may wait at once; past it a call that would be asked about is denied at once, so a
    /// flood of prompts cannot hold connections and memory for the whole timeout.</summary>
    public const int MaxPending = 200;

    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<PermissionRequestSnapshot>> _waiting = new();

    public async Task<PermissionVerdict> RequestAsync(PermissionCaller caller, string toolName, JsonElement input, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(toolName) || toolName.Length > 200)
        {
            throw new DomainException("'tool_name' is required and at most 200 characters.");
        }

        var inputJson = input.ValueKind == JsonValueKind.Undefined ? "{}" : input.GetRawText();
        if (inputJson.Length > MaxInputChars)
        {
            throw new DomainException($"'input' must be at most {MaxInputChars} characters of JSON.");
        }

        var policy = await rules.PolicyAsync(cancellationToken);
        var decision = policy.Evaluate(new PermissionQuery(toolName, input, caller.WorkingDirectory, caller.ProjectName, caller.ProfileName));
        var now = time.GetUtcNow();
        var request = PermissionRequest.Create(caller.AgentId, caller.WorkerId, caller.TaskId, toolName, inputJson, decision.Rule, now);
        if (decision.Action != PermissionAction.Ask)
        {
            var allowed = decision.Action == PermissionAction.Allow;
            request.Decide(allowed ? PermissionState.Approved : PermissionState.Denied, "rule", decision.Explanation, null, now);
            await writer.ExecuteAsync(new RecordRequestCommand(request, events, time), cancellationToken);
            return new PermissionVerdict(request.Id, allowed, input,
                allowed ? decision.Explanation : $"Denied by the Vibe Ensemble permission policy: {decision.Explanation}. Do not retry this call; find another way or report the task as blocked with fail_task.");
        }

        if (_waiting.Count >= MaxPending)
        {
            request.Decide(PermissionState.Denied, "limit", $"{MaxPending} requests already wait for a decision", null, now);
            await writer.ExecuteAsync(new RecordRequestCommand(request, events, time), cancellationToken);
            return new PermissionVerdict(request.Id, false, input,
                $"Denied: {MaxPending} permission requests already wait for a person or the coordinator. Report the task as blocked with fail_task.");
        }

        return await AskAsync(caller, request, input, decision, cancellationToken);
    }

    private async Task<PermissionVerdict> AskAsync(
        PermissionCaller caller, PermissionRequest request, JsonElement input, PolicyDecision decision, CancellationToken cancellationToken)
    {
        // Registered before the row is committed, so a decision that comes at once finds the waiter.
        var answered = new TaskCompletionSource<PermissionRequestSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[request.Id] = answered;
        try
        {
            await writer.ExecuteAsync(new RecordRequestCommand(request, events, time), cancellationToken);
            LogAsked(logger, request.ToolName, request.Id, decision.Rule ?? "no rule");
            var timeout = options.Value.AskTimeout;
            PermissionRequestSnapshot result;
            try
            {
                result = await answered.Task.WaitAsync(timeout, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                result = await ExpireAsync(request.Id, $"No one answered within {Describe(timeout)}.", answered);
                if (result.State == PermissionState.Expired && caller is { TaskId: { } taskId, AttemptId: { } attemptId })
                {
                    await tasks.NoteAsync(taskId, attemptId, $"Blocked: permission for {request.ToolName} was not answered within {Describe(timeout)} and was denied.", CancellationToken.None);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The caller went away (its worker ended): nobody should be asked about this any more. If even that
                // cannot be written (the server is stopping), the next start expires it.
                try
                {
                    await ExpireAsync(request.Id, "The worker stopped waiting before a decision.", answered);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
                {
                    LogNotExpired(logger, request.Id, ex.Message);
                }

                throw;
            }

            return Verdict(result, input, timeout);
        }
        finally
        {
            _waiting.TryRemove(request.Id, out _);
        }
    }

    /// <summary>Expires the request unless a decision beat the timeout, in which case that decision stands.</summary>
    private async Task<PermissionRequestSnapshot> ExpireAsync(Guid id, string reason, TaskCompletionSource<PermissionRequestSnapshot> answered)
    {
        try
        {
            return await writer.ExecuteAsync(
                new DecideRequestCommand(id, PermissionState.Expired, "timeout", reason, null, events, time), CancellationToken.None);
        }
        catch (DomainException) when (answered.Task.IsCompletedSuccessfully)
        {
            return answered.Task.Result;
        }
    }

    private static PermissionVerdict Verdict(PermissionRequestSnapshot result, JsonElement input, TimeSpan timeout)
    {
        if (result.State == PermissionState.Approved)
        {
            var runWith = result.UpdatedInput is { } edited ? JsonDocument.Parse(edited).RootElement.Clone() : input;
            return new PermissionVerdict(result.Id, true, runWith, $"approved by {result.DecidedBy}");
        }

        var message = result.State == PermissionState.Expired
            ? $"Permission for {result.ToolName} was denied: no one answered within {Describe(timeout)}. Do not retry it; report the task as blocked with fail_task (say which permission it needs)."
            : $"Permission for {result.ToolName} was denied by {result.DecidedBy}{(result.Reason is { } why ? $": {why}" : "")}. Do not retry this call; find another way or report the task as blocked with fail_task.";
        return new PermissionVerdict(result.Id, false, input, message);
    }

    /// <summary>
    /// Answers a pending request for <paramref name="decidedBy"/> (a person or an agent). Refused when it was already
    /// decided or expired; with <see cref="PermissionDecision.Remember"/> a rule is stored from it as well.
    /// </summary>
    public async Task<PermissionRequestSnapshot> DecideAsync(Guid requestId, PermissionDecision decision, string decidedBy, CancellationToken cancellationToken)
    {
        string? edited = null;
        if (decision.UpdatedInput is { } updated && updated.ValueKind != JsonValueKind.Undefined && updated.ValueKind != JsonValueKind.Null)
        {
            edited = updated.ValueKind == JsonValueKind.Object ? updated.GetRawText()
                : throw new DomainException("'updatedInput' must be a JSON object: the tool input to run instead.");
            if (!decision.Approve)
            {
                throw new DomainException("'updatedInput' goes with an approval only.");
            }

            if (edited.Length > MaxInputChars)
            {
                throw new DomainException($"'updatedInput' must be at most {MaxInputChars} characters of JSON.");
            }
        }

        // The rules to remember are made and checked first: a decision that cannot be remembered is refused whole.
        IReadOnlyList<PermissionRuleRequest> remembered = decision.Remember
            ? await RememberedRulesAsync(await GetAsync(requestId, cancellationToken), decision, edited, cancellationToken)
            : [];
        foreach (var rule in remembered)
        {
            rules.Validate(rule, decidedBy);
        }

        var decided = await writer.ExecuteAsync(new DecideRequestCommand(
            requestId, decision.Approve ? PermissionState.Approved : PermissionState.Denied, decidedBy, decision.Message, edited, events, time),
            cancellationToken);
        LogDecided(logger, decided.ToolName, decided.Id, decided.State, decidedBy);
        if (_waiting.TryGetValue(requestId, out var waiter))
        {
            waiter.TrySetResult(decided);
        }

        foreach (var rule in remembered)
        {
            await rules.SaveAsync(null, rule, decidedBy, cancellationToken);
        }

        return decided;
    }

    public async Task<IReadOnlyList<PermissionRequestSnapshot>> ListAsync(
        PermissionState? state, Guid? taskId, int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? 50;
        if (take is < 1 or > 500)
        {
            throw new DomainException("'limit' must be between 1 and 500.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.PermissionRequests.AsNoTracking();
        if (state is { } s)
        {
            query = query.Where(r => r.State == s);
        }

        if (taskId is { } t)
        {
            query = query.Where(r => r.TaskId == t);
        }

        var rows = await query.OrderByDescending(r => r.RequestedAt).Take(take).ToListAsync(cancellationToken);
        return [.. rows.Select(PermissionRequestSnapshot.From)];
    }

    /// <summary>Requests waiting for a decision, for the navigation badge.</summary>
    public async Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PermissionRequests.CountAsync(r => r.State == PermissionState.Pending, cancellationToken);
    }

    public async Task<PermissionRequestSnapshot> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.PermissionRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw new EntityNotFoundException("Permission request", id.ToString());
        return PermissionRequestSnapshot.From(row);
    }

    /// <summary>At start-up: requests left pending by the last run have nobody waiting for them.</summary>
    public Task<int> ExpireLeftoversAsync(CancellationToken cancellationToken) =>
        writer.ExecuteAsync(new ExpireLeftoverRequestsCommand(time), cancellationToken);

    public Task<int> PruneAsync(CancellationToken cancellationToken) =>
        writer.ExecuteAsync(new PruneRequestsCommand(time.GetUtcNow() - options.Value.AuditRetention), cancellationToken);

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.TotalSeconds % 60 == 0 ? $"{span.TotalMinutes:0} min" : $"{span.TotalSeconds:0.#} s";

    // The input (a command may carry a secret) is never logged; it stays in the request row.
    [LoggerMessage(Level = LogLevel.Information, Message = "Permission for {Tool} asked ({RequestId}), matched {Rule}.")]
    private static partial void LogAsked(ILogger logger, string tool, Guid requestId, string rule);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Permission request {RequestId} was left pending ({Reason}); the next start expires it.")]
    private static partial void LogNotExpired(ILogger logger, Guid requestId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Permission for {Tool} ({RequestId}) {State} by {DecidedBy}.")]
    private static partial void LogDecided(ILogger logger, string tool, Guid requestId, PermissionState state, string decidedBy);
}
