using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>Reads task ids and status filters as callers send them, with messages naming what was wrong.</summary>
public static class TaskIds
{
    public static Guid Parse(string? value, string parameter = "taskId") =>
        Guid.TryParse(value?.Trim(), out var id) ? id
        : throw new DomainException(string.IsNullOrWhiteSpace(value)
            ? $"'{parameter}' is required: the task's id as returned by create_task or list_tasks."
            : $"'{parameter}' must be a task id such as 0196f2a6-61b5-7c1e-9a3e-5b0d1c2e3f40; got '{Truncate(value)}'.");

    public static AgentTaskStatus? ParseStatus(string? status) =>
        string.IsNullOrWhiteSpace(status) ? null
        : Enum.TryParse<AgentTaskStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : throw new DomainException($"Unknown status '{Truncate(status)}'; use one of {string.Join(", ", Enum.GetNames<AgentTaskStatus>())}.");

    private static string Truncate(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
