using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Permissions;

/// <summary>
/// One tool call a worker (or agent) needed permission for, and what became of it: decided at once by a rule, or
/// asked of a person or the coordinator and decided by the first of them to answer, or expired unanswered. Kept
/// as the audit record of every decision.
/// </summary>
public sealed class PermissionRequest
{
    public const int MaxInputChars = 200_000;

    private PermissionRequest()
    {
    }

    public Guid Id { get; private set; }

    public Guid? AgentId { get; private set; }

    public Guid? WorkerId { get; private set; }

    public Guid? TaskId { get; private set; }

    public string ToolName { get; private set; } = "";

    public string InputJson { get; private set; } = "{}";

    public PermissionState State { get; private set; }

    /// <summary>The rule that matched (as it read then), or null when none did and the default applied.</summary>
    public string? MatchedRule { get; private set; }

    /// <summary>Who decided: <c>rule</c>, <c>timeout</c>, or the person or agent who answered.</summary>
    public string? DecidedBy { get; private set; }

    /// <summary>What the worker was told with a denial, or why it was approved.</summary>
    public string? Reason { get; private set; }

    /// <summary>The input the call ran with when the person changed it before approving; null when unchanged.</summary>
    public string? UpdatedInputJson { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public static PermissionRequest Create(
        Guid? agentId, Guid? workerId, Guid? taskId, string toolName, string inputJson, string? matchedRule, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7(now),
            AgentId = agentId,
            WorkerId = workerId,
            TaskId = taskId,
            ToolName = Guard.Required(toolName, "tool_name", 200),
            InputJson = inputJson.Length <= MaxInputChars ? inputJson
                : throw new DomainException($"'input' must be at most {MaxInputChars} characters of JSON."),
            MatchedRule = matchedRule,
            State = PermissionState.Pending,
            RequestedAt = now,
        };

    /// <summary>Records the decision; only a pending request can be decided, and only once.</summary>
    public void Decide(PermissionState outcome, string decidedBy, string? reason, string? updatedInputJson, DateTimeOffset now)
    {
        if (State != PermissionState.Pending)
        {
            throw new StateConflictException($"Permission request {Id} was already {State.ToString().ToLowerInvariant()} by {DecidedBy}; a decision is final.");
        }

        if (outcome == PermissionState.Pending || !Enum.IsDefined(outcome))
        {
            throw new DomainException("A decision must approve, deny or expire the request.");
        }

        State = outcome;
        DecidedBy = Guard.Required(decidedBy, "decidedBy", 200);
        Reason = Guard.Optional(reason, "message", 2_000);
        UpdatedInputJson = updatedInputJson;
        DecidedAt = now;
    }
}
