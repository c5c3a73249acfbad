namespace VibeEnsemble.Domain.Agents;

/// <summary>Running counters kept with each agent.</summary>
public sealed class AgentMetrics
{
    public int Connections { get; private set; }

    public int Heartbeats { get; private set; }

    public int TasksCompleted { get; private set; }

    public int TasksFailed { get; private set; }

    public int MessagesSent { get; private set; }

    /// <summary>Counters exactly as they were stored.</summary>
    public static AgentMetrics Restore(int connections, int heartbeats, int tasksCompleted, int tasksFailed, int messagesSent) => new()
    {
        Connections = connections,
        Heartbeats = heartbeats,
        TasksCompleted = tasksCompleted,
        TasksFailed = tasksFailed,
        MessagesSent = messagesSent,
    };

    internal void RecordConnection() => Connections++;

    internal void RecordHeartbeat() => Heartbeats++;
}
