namespace VibeEnsemble.Infrastructure.Events;

/// <summary>
/// What a subscriber wants to hear about. Events are routed only to the subscribers of their kind, and an event
/// kind nobody subscribed to is not even built (heartbeats, by default).
/// </summary>
[Flags]
public enum EventKinds
{
    None = 0,
    AgentRegistered = 1 << 0,
    AgentOffline = 1 << 1,
    AgentHeartbeat = 1 << 2,
    TaskUpdated = 1 << 3,
    WorkerUpdated = 1 << 4,

    /// <summary>Every line a worker prints: high-rate, built only for subscribers.</summary>
    WorkerOutput = 1 << 5,

    /// <summary>
    /// A task offered to one agent (delivered only to its connection). Subscribing to it is how a /ws client says it
    /// takes pushed work.
    /// </summary>
    TaskAssign = 1 << 6,

    /// <summary>A permission request waiting for a person or the coordinator, and its decision.</summary>
    PermissionRequested = 1 << 7,

    /// <summary>Every permission decision a rule made at once: high-rate, built only for subscribers.</summary>
    PermissionDecided = 1 << 8,

    /// <summary>A message sent; a /ws client is pushed only those addressed to its agent.</summary>
    Message = 1 << 9,

    /// <summary>An issue opened or changed.</summary>
    Issue = 1 << 10,

    /// <summary>A knowledge entry written, edited, related or voted on.</summary>
    Knowledge = 1 << 11,

    /// <summary>File reservations made, released or renewed.</summary>
    Reservation = 1 << 12,

    /// <summary>A conflict detected, updated, escalated or resolved.</summary>
    Conflict = 1 << 13,

    /// <summary>Everything except the high-rate kinds, which must be asked for by name.</summary>
    Default = AgentRegistered | AgentOffline | TaskUpdated | WorkerUpdated | PermissionRequested | Message | Issue | Knowledge | Reservation | Conflict,
    All = AgentRegistered | AgentOffline | AgentHeartbeat | TaskUpdated | WorkerUpdated | WorkerOutput | TaskAssign
        | PermissionRequested | PermissionDecided | Message | Issue | Knowledge | Reservation | Conflict,
}

/// <summary>The wire names of <see cref="EventKinds"/>, as <c>vibe/events/subscribe</c> takes them.</summary>
public static class EventKindNames
{
    private static readonly (string Name, EventKinds Kind)[] s_names =
    [
        ("agent.registered", EventKinds.AgentRegistered),
        ("agent.offline", EventKinds.AgentOffline),
        ("agent.heartbeat", EventKinds.AgentHeartbeat),
        ("task.updated", EventKinds.TaskUpdated),
        ("worker.updated", EventKinds.WorkerUpdated),
        ("worker.output", EventKinds.WorkerOutput),
        ("task.assign", EventKinds.TaskAssign),
        ("permission.requested", EventKinds.PermissionRequested),
        ("permission.decided", EventKinds.PermissionDecided),
        ("message", EventKinds.Message),
        ("issue.updated", EventKinds.Issue),
        ("knowledge.updated", EventKinds.Knowledge),
        ("reservation.updated", EventKinds.Reservation),
        ("conflict.updated", EventKinds.Conflict),
    ];

    public static IEnumerable<string> All => s_names.Select(n => n.Name);

    public static bool TryParse(string name, out EventKinds kind)
    {
        foreach (var (known, value) in s_names)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                kind = value;
                return true;
            }
        }

        kind = EventKinds.None;
        return false;
    }
}
