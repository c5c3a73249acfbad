using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Tasks;

[JsonConverter(typeof(JsonStringEnumConverter<AgentTaskStatus>))]
public enum AgentTaskStatus
{
    Pending = 0,
    Assigned = 1,
    Running = 2,
    Completed = 3,
    Failed = 4,
    Cancelled = 5,
    WaitingForRetry = 6,
}
