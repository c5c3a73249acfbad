using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Permissions;

/// <summary>
/// Stores a request: one a rule decided at once (the audit record, on the hot path of every worker tool call, so a
/// prepared INSERT rather than EF), or a pending one, which is announced once it is durable.
/// </summary>
internal sealed class RecordRequestCommand(PermissionRequest request, CoordinationEventBus events, TimeProvider time) : IWriteCommand<PermissionRequestSnapshot>
{
    public PermissionRequestSnapshot Execute(WriteContext context)
    {
        var insert = context.Prepared(
            """
            INSERT INTO PermissionRequests (Id, AgentId, WorkerId, TaskId, ToolName, InputJson, State, MatchedRule, DecidedBy, Reason, UpdatedInputJson, RequestedAt, DecidedAt)
            VALUES ($id, $agent, $worker, $task, $tool, $input, $state, $rule, $by, $reason, NULL, $at, $decided)
            """,
            "$id", "$agent", "$worker", "$task", "$tool", "$input", "$state", "$rule", "$by", "$reason", "$at", "$decided");
        insert.Bind(1, request.Id).Bind(2, request.AgentId)
            .Bind(3, request.WorkerId).Bind(4, request.TaskId)
            .Bind(5, request.ToolName).Bind(6, request.InputJson).Bind(7, request.State.ToString())
            .Bind(8, request.MatchedRule).Bind(9, request.DecidedBy).Bind(10, request.Reason)
            .Bind(11, request.RequestedAt.UtcTicks).Bind(12, request.DecidedAt is { } decided ? decided.UtcTicks : null)
            .Execute();
        return PermissionRequestSnapshot.From(request);
    }

    public void OnCommitted()
    {
        var snapshot = PermissionRequestSnapshot.From(request);
        if (request.State == PermissionState.Pending)
        {
            events.Publish(new PermissionRequested(snapshot, request.RequestedAt));
        }
        else if (events.HasSubscribers(EventKinds.PermissionDecided))
        {
            events.Publish(new PermissionDecided(snapshot, time.GetUtcNow()));
        }
    }
}

/// <summary>
/// Decides a pending request: approve, deny or expire. Only a pending request changes, so of two answers racing the
/// first to commit wins and the second is refused with what the first was; a decision is never applied twice.
/// </summary>
internal sealed class DecideRequestCommand(
    Guid requestId, PermissionState outcome, string decidedBy, string? reason, string? updatedInputJson,
    CoordinationEventBus events, TimeProvider time) : IWriteCommand<PermissionRequestSnapshot>
{
    private PermissionRequestSnapshot? _decided;

    public PermissionRequestSnapshot Execute(WriteContext context)
    {
        _decided = null;
        var db = context.Db;
        var request = db.PermissionRequests.SingleOrDefault(r => r.Id == requestId)
            ?? throw new EntityNotFoundException("Permission request", requestId.ToString());
        request.Decide(outcome, decidedBy, reason, updatedInputJson, time.GetUtcNow());
        db.SaveChanges();
        return _decided = PermissionRequestSnapshot.From(request);
    }

    public void OnCommitted()
    {
        if (_decided is { } decided)
        {
            events.Publish(new PermissionRequested(decided, decided.DecidedAt ?? time.GetUtcNow()));
        }
    }
}

/// <summary>
/// Expires every request still pending: after a restart nobody waits for them any more (their workers were
/// stopped), and the person should not be asked about them.
/// </summary>
internal sealed class ExpireLeftoverRequestsCommand(TimeProvider time) : IWriteCommand<int>
{
    public int Execute(WriteContext context)
    {
        var update = context.Prepared(
            "UPDATE PermissionRequests SET State = 'Expired', DecidedBy = 'restart', Reason = 'The server restarted before a decision.', DecidedAt = $now WHERE State = 'Pending'",
            "$now");
        return update.Bind(1, time.GetUtcNow().UtcTicks).Execute();
    }
}

/// <summary>Removes decided requests older than the retention, in bounded batches so the writer is never held long.</summary>
internal sealed class PruneRequestsCommand(DateTimeOffset before) : IWriteCommand<int>
{
    public int Execute(WriteContext context)
    {
        var delete = context.Prepared(
            "DELETE FROM PermissionRequests WHERE Id IN (SELECT Id FROM PermissionRequests WHERE State <> 'Pending' AND RequestedAt < $before LIMIT 5000)",
            "$before");
        return delete.Bind(1, before.UtcTicks).Execute();
    }
}
