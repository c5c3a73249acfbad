namespace VibeEnsemble.Web.Rpc;

/// <summary>Notifications the server pushes to native API clients.</summary>
internal static class VibeRpcNotifications
{
    /// <summary>Another agent registered or came back; params are the agent with its capabilities.</summary>
    public const string AgentRegistered = "vibe/agent/registered";

    /// <summary>An agent went offline; params are the agent.</summary>
    public const string AgentOffline = "vibe/agent/offline";

    /// <summary>An agent is still connected but has sent nothing for a while (with <c>agent.offline</c>); params are the agent.</summary>
    public const string AgentStale = "vibe/agent/stale";

    /// <summary>An agent beat; sent only to clients that subscribed to <c>agent.heartbeat</c>.</summary>
    public const string AgentHeartbeat = "vibe/agent/heartbeat";

    /// <summary>A task was created or changed; params are the task.</summary>
    public const string TaskUpdated = "vibe/task/updated";

    /// <summary>
    /// A task offered to this connection's agent (after it subscribed to <c>task.assign</c>); params are the task. Call
    /// <c>vibe/task/start</c> before its <c>leaseExpiresAt</c>, or it is offered elsewhere.
    /// </summary>
    public const string TaskAssign = "vibe/task/assign";

    /// <summary>
    /// Every sub-task of a task has ended; params are the parent and its children's outcomes and results, for the
    /// parent's creator (<c>createdByAgentId</c>).
    /// </summary>
    public const string ChildrenFinished = "vibe/task/children-finished";

    /// <summary>A task has failed for good; params are the task and the reason (the coordinator's cue to act).</summary>
    public const string TaskEscalated = "vibe/task/escalated";

    /// <summary>A spawned worker started, changed or ended; params are the worker.</summary>
    public const string WorkerUpdated = "vibe/worker/updated";

    /// <summary>A worker printed a line (only for subscribers of <c>worker.output</c>); params are the worker id and the line.</summary>
    public const string WorkerOutput = "vibe/worker/output";

    /// <summary>
    /// A worker's tool call waits for a decision (<c>vibe/permission/decide</c>); params are the request: tool, input,
    /// matched rule, task and worker.
    /// </summary>
    public const string PermissionRequested = "vibe/permission/requested";

    /// <summary>A request was decided or expired (and, for subscribers of <c>permission.decided</c>, every rule decision).</summary>
    public const string PermissionDecided = "vibe/permission/decided";

    /// <summary>The permission rules changed.</summary>
    public const string PermissionRulesChanged = "vibe/permission/rules-changed";

    /// <summary>
    /// A message to this connection's agent (sent now, or queued while it was away and pushed when it registers);
    /// params are the message. Acknowledge with <c>vibe/message/ack</c>; <c>vibe/message/inbox</c> marks it read.
    /// </summary>
    public const string Message = "vibe/agent/message";

    /// <summary>An issue was opened or changed; params are the issue.</summary>
    public const string IssueUpdated = "vibe/issue/updated";

    /// <summary>A knowledge entry written, edited, related or voted on (its body left out).</summary>
    public const string KnowledgeUpdated = "vibe/knowledge/updated";

    /// <summary>File reservations made, released or renewed; params are the change, the agent and the reservations.</summary>
    public const string ReservationUpdated = "vibe/conflict/reservations";

    /// <summary>A conflict detected, updated, escalated or resolved: <c>{change, conflict}</c>.</summary>
    public const string ConflictDetected = "vibe/conflict/detect";
}
