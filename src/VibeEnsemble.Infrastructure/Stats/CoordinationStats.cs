namespace VibeEnsemble.Infrastructure.Stats;

/// <summary>Counts of everything the server coordinates, as stored right now.</summary>
public sealed record CoordinationStats(
    int AgentsOnline,
    int AgentsTotal,
    int TasksOpen,
    int TasksTotal,
    int WorkersRunning,
    int WorkersTotal,
    int Messages,
    int KnowledgeEntries,
    int IssuesOpen,
    int ConflictsOpen,
    int PermissionRequestsPending);
