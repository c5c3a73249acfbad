using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Workers;

[JsonConverter(typeof(JsonStringEnumConverter<WorkerState>))]
public enum WorkerState
{
    Starting = 0,
    Running = 1,
    Exited = 2,
    Failed = 3,
    Stopped = 4,
}
