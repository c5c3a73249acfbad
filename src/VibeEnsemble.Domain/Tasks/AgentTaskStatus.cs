using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Tasks;

/// <summary>
/// Where a task is in its life. The allowed moves are in <see cref="AgentTask"/>; in short:
/// <code>
/// Blocked ──(last dependency completed)──▶ Ready ──assign──▶ Assigned ──start──▶ Running ──complete──▶ Completed
///                                            ▲                  │ lease lapsed      │ fail, attempts left
///                                            │                  ▼                   ▼
///                                            ├──────────────── Ready       WaitingForRetry ──(time)──▶ Ready
///                                            │                                      │ fail, none left
///                                            └──────(retry now)── Failed ◀──────────┘
/// Any state but Completed ──cancel──▶ Cancelled ──(retry now)──▶ Ready
/// </code>
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentTaskStatus>))]
public enum AgentTaskStatus
{
    /// <summary>Waits for other tasks to complete.</summary>
    Blocked = 0,

    /// <summary>Can be handed to an agent or a worker now.</summary>
    Ready = 1,

    /// <summary>Offered to an agent, which has not started it yet (it holds a lease).</summary>
    Assigned = 2,

    Running = 3,

    /// <summary>An attempt failed; the next one starts at <see cref="AgentTask.NextAttemptAt"/>.</summary>
    WaitingForRetry = 4,

    Completed = 5,

    /// <summary>Every attempt failed, or a failure was reported as not worth retrying.</summary>
    Failed = 6,

    Cancelled = 7,
}
