using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Projects;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Agents;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>A ready task as the scheduler sees it.</summary>
internal sealed record ReadyTask(
    Guid Id, Priority Priority, DateTimeOffset CreatedAt, IReadOnlyList<string> RequiredCapabilities, Guid? ProjectId, string? WaitingReason,
    IReadOnlyList<string> Paths, string Title);

/// <summary>A connected agent that takes pushed work, on the connection it listens on, with the tasks it holds.</summary>
internal sealed record PushTarget(AgentSnapshot Agent, string ConnectionId, int Holding);

/// <summary>What to do with one ready task.</summary>
internal abstract record Dispatch
{
    /// <summary>Push it to a connected agent (<c>vibe/task/assign</c>).</summary>
    public sealed record Assign(PushTarget Target) : Dispatch;

    /// <summary>Start a worker of this profile in this project.</summary>
    public sealed record Spawn(WorkerProfile Profile, Project Project) : Dispatch;

    /// <summary>Leave it: a connected agent that asks for work can take it, or it waits for the reason given.</summary>
    public sealed record Wait(string? Reason) : Dispatch;
}

/// <summary>
/// The routing rules, in order: an idle connected agent that takes pushed work (fewest tasks held, then the most
/// specializations in common); else a connected agent that asks for work (<c>get_next_task</c>) gets to take it;
/// else the profile covering the capabilities most tightly spawns a worker, if the project is known, the profile is
/// not parked and the global, project and profile limits allow. Capability match is case-insensitive set inclusion.
/// </summary>
internal sealed class DispatchRules(
    IReadOnlyList<PushTarget> pushTargets, int maxTasksPerAgent, IReadOnlyList<AgentSnapshot> takers,
    IReadOnlyList<WorkerProfile> profiles, IReadOnlyDictionary<Guid, Project> projects, WorkerSlots slots, DateTimeOffset now)
{
    private readonly Dictionary<Guid, int> _assigned = [];

    public Dispatch Decide(ReadyTask task)
    {
        var target = pushTargets
            .Where(t => Covers(t.Agent.Capabilities, task.RequiredCapabilities) && Holding(t) < maxTasksPerAgent)
            .OrderBy(Holding)
            .ThenByDescending(t => t.Agent.Specializations.Concat(t.Agent.Capabilities).Count(s => task.RequiredCapabilities.Contains(s, StringComparer.OrdinalIgnoreCase)))
            .ThenBy(t => t.Agent.Name, StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault();
        if (target is not null)
        {
            _assigned[target.Agent.Id] = _assigned.GetValueOrDefault(target.Agent.Id) + 1;
            return new Dispatch.Assign(target);
        }

        if (AnyCovers(takers, task.RequiredCapabilities))
        {
            return new Dispatch.Wait(null);
        }

        var profile = profiles.Select(p => (Profile: p, Fit: p.Fit(task.RequiredCapabilities)))
            .Where(p => p.Fit is not null).OrderBy(p => p.Fit).ThenBy(p => p.Profile.Name, StringComparer.OrdinalIgnoreCase)
            .Select(p => p.Profile).FirstOrDefault();
        if (profile is null)
        {
            return new Dispatch.Wait($"no online agent or profile covers capabilities [{string.Join(", ", task.RequiredCapabilities)}]");
        }

        if (task.ProjectId is not { } projectId || !projects.TryGetValue(projectId, out var project))
        {
            return new Dispatch.Wait("no project: a spawned worker runs in a project's directory; create one with upsert_project and name it in create_task");
        }

        if (profile.IsParked(now))
        {
            return new Dispatch.Wait($"profile '{profile.Name}' is parked until {profile.ParkedUntil:u}: {profile.ParkedReason}");
        }

        return slots.Refusal(profile, project) is { } full ? new Dispatch.Wait(full) : new Dispatch.Spawn(profile, project);
    }

    /// <summary>Whether one of <paramref name="takers"/> can take a task that requires <paramref name="required"/>.</summary>
    public static bool AnyCovers(IReadOnlyList<AgentSnapshot> takers, IReadOnlyList<string> required) =>
        takers.Any(a => Covers(a.Capabilities, required));

    private int Holding(PushTarget target) => target.Holding + _assigned.GetValueOrDefault(target.Agent.Id);

    private static bool Covers(IReadOnlyList<string> has, IReadOnlyList<string> required)
    {
        var set = new HashSet<string>(has, StringComparer.OrdinalIgnoreCase);
        return required.All(set.Contains);
    }
}

/// <summary>The global, project and profile limits, counted from the running workers.</summary>
internal sealed class WorkerSlots(WorkerRegistry registry, int maxConcurrent)
{
    public string? Refusal(WorkerProfile profile, Project project)
    {
        if (registry.Count >= maxConcurrent)
        {
            return $"waiting for a worker slot ({registry.Count}/{maxConcurrent} running)";
        }

        var inProject = registry.CountIn(project.Id);
        if (inProject >= project.MaxConcurrentWorkers)
        {
            return $"waiting for a worker slot in project '{project.Name}' ({inProject}/{project.MaxConcurrentWorkers} running)";
        }

        var ofProfile = registry.CountFor(profile.Name);
        return ofProfile >= profile.MaxConcurrentWorkers
            ? $"waiting for a worker slot of profile '{profile.Name}' ({ofProfile}/{profile.MaxConcurrentWorkers} running)"
            : null;
    }
}
