using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>
/// The workers this process runs now, in memory: for the concurrency limits, for stopping them, and to recognise a
/// worker's MCP session by the secret in its config (so its tool calls act for its agent and task).
/// </summary>
public sealed class WorkerRegistry
{
    private readonly ConcurrentDictionary<Guid, WorkerRun> _runs = new();
    private readonly ConcurrentDictionary<string, WorkerRun> _byToken = new(StringComparer.Ordinal);

    public int Count => _runs.Count;

    public IReadOnlyCollection<WorkerRun> Running => [.. _runs.Values];

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal void Add(WorkerRun run)
    {
        _runs[run.WorkerId] = run;
        _byToken[run.Token] = run;
    }

    internal void Remove(WorkerRun run)
    {
        _runs.TryRemove(run.WorkerId, out _);
        _byToken.TryRemove(run.Token, out _);
    }

    public WorkerRun? Find(Guid workerId) => _runs.GetValueOrDefault(workerId);

    /// <summary>The running worker whose MCP config carries <paramref name="token"/>; compared in constant time.</summary>
    public WorkerRun? FindByToken(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100 || !_byToken.TryGetValue(token, out var run))
        {
            return null;
        }

        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(run.Token), System.Text.Encoding.ASCII.GetBytes(token)) ? run : null;
    }

    /// <summary>The task a worker's connection was spawned for, so its reports need not name it.</summary>
    public Guid? TaskOf(string connectionId) => ByConnection(connectionId)?.TaskId;

    /// <summary>The running worker whose MCP session is <paramref name="connectionId"/>.</summary>
    public WorkerRun? ByConnection(string connectionId) => _runs.Values.FirstOrDefault(r => r.ConnectionId == connectionId);

    public int CountFor(string profileName) => _runs.Values.Count(r => string.Equals(r.ProfileName, profileName, StringComparison.OrdinalIgnoreCase));

    public int CountIn(Guid projectId) => _runs.Values.Count(r => r.ProjectId == projectId);
}
