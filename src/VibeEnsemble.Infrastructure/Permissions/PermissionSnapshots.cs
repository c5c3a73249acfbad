using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Infrastructure.Permissions;

/// <summary>A permission request as callers and views see it; <see cref="Input"/> is the tool input as JSON text.</summary>
public sealed record PermissionRequestSnapshot(
    Guid Id, Guid? AgentId, Guid? WorkerId, Guid? TaskId, string ToolName, string Input, PermissionState State,
    string? MatchedRule, string? DecidedBy, string? Reason, string? UpdatedInput, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt)
{
    public static PermissionRequestSnapshot From(PermissionRequest r) => new(
        r.Id, r.AgentId, r.WorkerId, r.TaskId, r.ToolName, r.InputJson, r.State, r.MatchedRule, r.DecidedBy, r.Reason,
        r.UpdatedInputJson, r.RequestedAt, r.DecidedAt);
}

/// <summary>A rule as callers and views see it.</summary>
public sealed record PermissionRuleSnapshot(
    Guid Id, PermissionScope Scope, string? ScopeName, int Position, string ToolPattern, string? ArgumentPattern,
    PermissionAction Action, string Note, string UpdatedBy, DateTimeOffset UpdatedAt)
{
    public static PermissionRuleSnapshot From(PermissionRule r) =>
        new(r.Id, r.Scope, r.ScopeName, r.Position, r.ToolPattern, r.ArgumentPattern, r.Action, r.Note, r.UpdatedBy, r.UpdatedAt);
}

/// <summary>
/// A request that waits for a person or the coordinator was made (<see cref="PermissionRequestSnapshot.State"/>
/// Pending), or was decided or expired.
/// </summary>
public sealed record PermissionRequested(PermissionRequestSnapshot Request, DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.PermissionRequested;
}

/// <summary>A rule decided a tool call at once.</summary>
public sealed record PermissionDecided(PermissionRequestSnapshot Request, DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.PermissionDecided;
}

/// <summary>The rules changed; views re-read them.</summary>
public sealed record PermissionRulesChanged(DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.PermissionRequested;
}

/// <summary>Reads permission request ids and state filters as callers send them, with messages naming the field.</summary>
public static class PermissionIds
{
    public static Guid Parse(string? value, string parameter = "requestId") =>
        Domain.Common.Inputs.Id(value, parameter, "a request id", "the request's id as list_permission_requests returns it");

    public static PermissionState? ParseState(string? state) =>
        Domain.Common.Inputs.Enum<PermissionState>(state, "state", "Pending, Approved, Denied or Expired");
}
