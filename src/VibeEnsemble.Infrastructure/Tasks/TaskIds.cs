using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>Reads task ids and status filters as callers send them, with messages naming what was wrong.</summary>
public static class TaskIds
{
    public static Guid Parse(string? value, string parameter = "taskId") =>
        Inputs.Id(value, parameter, "a task id", "the task's id as returned by create_task or list_tasks");

    public static AgentTaskStatus? ParseStatus(string? status) =>
        string.IsNullOrWhiteSpace(status) ? null
        : Enum.TryParse<AgentTaskStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : throw new DomainException($"Unknown status '{Inputs.Shorten(status, 60)}'; use one of {string.Join(", ", Enum.GetNames<AgentTaskStatus>())}.");
}
