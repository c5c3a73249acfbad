using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Permissions;

/// <summary>A worker's request to use a tool, waiting for the coordinator (or a person) to decide.</summary>
public sealed class PermissionRequest
{
    private PermissionRequest()
    {
    }

    public Guid Id { get; private set; }

    public Guid? AgentId { get; private set; }

    public Guid? WorkerId { get; private set; }

    public string ToolName { get; private set; } = "";

    public string InputJson { get; private set; } = "{}";

    public PermissionState State { get; private set; }

    public string? DecidedBy { get; private set; }

    public string? Reason { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public static PermissionRequest Create(
        Guid? agentId, Guid? workerId, string toolName, string inputJson, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7(now),
            AgentId = agentId,
            WorkerId = workerId,
            ToolName = Guard.Required(toolName, "toolName", 200),
            InputJson = inputJson,
            State = PermissionState.Pending,
            RequestedAt = now,
        };
}
