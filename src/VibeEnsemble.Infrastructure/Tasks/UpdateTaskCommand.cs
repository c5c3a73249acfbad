using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// Changes a task that has not started (or whose attempt has ended), its dependencies included. New dependencies
/// must exist and must not close a cycle: the message names the path that would have become one.
/// </summary>
internal sealed class UpdateTaskCommand(
    Guid taskId, UpdateTaskRequest request, CoordinationEventBus events, TimeProvider time)
    : TaskCommand<TaskSnapshot>(events, time)
{
    protected override TaskSnapshot Run(DateTimeOffset now)
    {
        var db = Db;
        var task = Load(db, taskId);
        task.Edit(request.Title, request.Description, request.RequiredCapabilities, request.ParsePriority(), request.MaxAttempts, now);
        if (request.DependsOn is { } wanted)
        {
            var ids = wanted.Distinct().ToList();
            RequireExisting(ids);
            RefuseCycles(db, task, ids);
            task.SetDependencies(ids, now);
        }

        ApplyDependencies(task, now);
        db.SaveChanges();
        return Changed(task);
    }

    /// <summary>Refuses a dependency on a task that already waits, directly or not, for this one.</summary>
    private static void RefuseCycles(VibeEnsembleDbContext db, AgentTask task, IReadOnlyList<Guid> dependsOn)
    {
        // The whole graph in one read: one row per edge, and a task has at most a hundred.
        var waitsFor = db.Set<TaskDependency>().AsNoTracking().Select(d => new { d.TaskId, d.DependsOnTaskId })
            .AsEnumerable().ToLookup(d => d.TaskId, d => d.DependsOnTaskId);
        foreach (var start in dependsOn)
        {
            if (PathTo(task.Id, start, waitsFor) is { } path)
            {
                var titles = db.Tasks.Where(t => path.Contains(t.Id)).ToDictionary(t => t.Id, t => t.Title);
                throw new DomainException(
                    $"Task '{task.Title}' cannot wait for '{titles[start]}': that would close a cycle, since "
                    + $"'{titles[start]}' already waits for it ({string.Join(" waits for ", path.Select(id => $"'{titles[id]}'"))}).");
            }
        }
    }

    /// <summary>The chain of waits from <paramref name="from"/> to <paramref name="target"/>, if there is one.</summary>
    private static List<Guid>? PathTo(Guid target, Guid from, ILookup<Guid, Guid> waitsFor)
    {
        var cameFrom = new Dictionary<Guid, Guid> { [from] = from };
        var queue = new Queue<Guid>([from]);
        while (queue.TryDequeue(out var current))
        {
            if (current == target)
            {
                var path = new List<Guid> { current };
                while (path[^1] != from)
                {
                    path.Add(cameFrom[path[^1]]);
                }

                path.Reverse();
                return path;
            }

            foreach (var next in waitsFor[current])
            {
                if (cameFrom.TryAdd(next, current))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }
}
