using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Infrastructure.Conflicts;

/// <summary>Escalation and resolution: who is told what, and what each outcome does.</summary>
public sealed partial class ConflictService
{
    private const string Outcomes = "first-yields, second-yields, merge or dismiss";

    /// <summary>
    /// Settles an open conflict and records who decided what and why. A side that yields has its reservations
    /// released and, when a worker of ours runs it, that worker stopped so its task is tried again later; merge sends
    /// the coordinator the two branches and the commands; dismiss only records the false alarm.
    /// </summary>
    public async Task<ConflictSnapshot> ResolveAsync(ResolveConflictRequest request, string decidedBy, CancellationToken cancellationToken)
    {
        var id = ConflictIds.Parse(request.ConflictId);
        var outcome = ParseOutcome(request.Outcome);
        var conflict = await writer.ExecuteAsync(new WriteCommand<Conflict>(context =>
        {
            var found = context.Db.Conflicts.SingleOrDefault(c => c.Id == id) ?? throw new EntityNotFoundException("Conflict", id.ToString());
            found.Resolve(outcome, decidedBy, request.Reason, time.GetUtcNow());
            context.Db.SaveChanges();
            return found;
        }), cancellationToken);
        ForgetHotSpots();
        var snapshot = await SnapshotAsync(conflict, cancellationToken);
        events.Publish(new ConflictChanged("resolved", snapshot, time.GetUtcNow()));
        await ApplyAsync(snapshot, decidedBy, cancellationToken);
        return snapshot;
    }

    /// <summary>Hands an open conflict to the coordinator of its tasks (or the person) with the facts gathered.</summary>
    public async Task<ConflictSnapshot> EscalateAsync(string? conflictId, string? note, string escalatedBy, CancellationToken cancellationToken)
    {
        var id = ConflictIds.Parse(conflictId);
        var text = string.IsNullOrWhiteSpace(note) ? null
            : note.Length <= Conflict.ReasonMaxLength ? note.Trim() : throw new DomainException($"'note' must be at most {Conflict.ReasonMaxLength} characters.");
        var conflict = await writer.ExecuteAsync(new WriteCommand<Conflict>(context =>
        {
            var found = context.Db.Conflicts.SingleOrDefault(c => c.Id == id) ?? throw new EntityNotFoundException("Conflict", id.ToString());
            if (!found.Escalate(time.GetUtcNow()))
            {
                throw new StateConflictException($"The conflict was already escalated at {found.EscalatedAt:u}.");
            }

            context.Db.SaveChanges();
            return found;
        }), cancellationToken);
        var snapshot = await SnapshotAsync(conflict, cancellationToken);
        events.Publish(new ConflictChanged("escalated", snapshot, time.GetUtcNow()));
        var coordinator = await CoordinatorOfAsync(snapshot, cancellationToken);
        await messages.NotifyAsync(coordinator, $"Conflict escalated: {Inputs.Shorten(string.Join(", ", snapshot.Files), 150)}",
            Inputs.Shorten(
                $"{escalatedBy} escalated conflict {snapshot.Id} ({snapshot.Severity.ToString().ToLowerInvariant()}) between {Describe(snapshot.First)} and {Describe(snapshot.Second)}"
                + $"{(text is null ? "" : $": {text}")}. Decide with resolve_conflict (outcome {Outcomes}).\n\n{snapshot.Detail}",
                Message.MaxBodyChars - 10),
            MessageImportance.Urgent, cancellationToken);
        return snapshot;
    }

    /// <summary>Escalates every conflict open longer than <see cref="ConflictOptions.EscalateAfter"/> and not yet escalated.</summary>
    public async Task<int> EscalateOverdueAsync(CancellationToken cancellationToken)
    {
        // Plain SQL: this runs at every scan, and an idle server must not build the EF Core model (AGENTS.md).
        var overdue = new List<Guid>();
        await using (var connection = new SqliteConnection(SqliteConnections.ConnectionString(storage.Value.DatabasePath)))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Id FROM Conflicts WHERE State = 'Open' AND EscalatedAt IS NULL AND DetectedAt <= $due LIMIT 100";
            command.Parameters.AddWithValue("$due", (time.GetUtcNow() - options.Value.EscalateAfter).UtcTicks);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                overdue.Add(Guid.Parse(reader.GetString(0)));
            }
        }

        foreach (var id in overdue)
        {
            try
            {
                await EscalateAsync(id.ToString(), $"still open after {options.Value.EscalateAfter.TotalMinutes:0.#} minutes", Tasks.TaskEscalations.Sender, cancellationToken);
            }
            catch (StateConflictException)
            {
                // Resolved or escalated by someone meanwhile: nothing to do.
            }
        }

        return overdue.Count;
    }

    private static ConflictOutcome ParseOutcome(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainException($"'outcome' is required: {Outcomes}.");
        }

        var name = value.Trim().Equals("dismiss", StringComparison.OrdinalIgnoreCase) ? "Dismissed" : value.Replace("-", "", StringComparison.Ordinal);
        return Inputs.Enum<ConflictOutcome>(name.Length <= 40 ? name : value, "outcome", Outcomes)!.Value;
    }

    private async Task ApplyAsync(ConflictSnapshot conflict, string decidedBy, CancellationToken cancellationToken)
    {
        var why = conflict.Resolution is { } reason ? $" ({reason})" : "";
        var subject = $"Conflict resolved: {Inputs.Shorten(string.Join(", ", conflict.Files), 150)}";
        switch (conflict.Outcome)
        {
            case ConflictOutcome.FirstYields or ConflictOutcome.SecondYields:
                var (yielding, going) = conflict.Outcome == ConflictOutcome.FirstYields ? (conflict.First, conflict.Second) : (conflict.Second, conflict.First);
                await reservations.ReleaseAllOfAsync(yielding.AgentId, cancellationToken);
                var requeued = await YieldAsync(yielding, going, conflict.Id, cancellationToken);
                await messages.NotifyAsync(yielding.AgentName, subject,
                    $"{decidedBy} decided that you yield to {going.AgentName}{why}: your reservations were released; {requeued}", cancellationToken);
                await messages.NotifyAsync(going.AgentName, subject, $"{decidedBy} decided that {yielding.AgentName} yields to you{why}: go on.", cancellationToken);
                break;
            case ConflictOutcome.Merge:
                var coordinator = await CoordinatorOfAsync(conflict, cancellationToken);
                var branches = new[] { conflict.First.Branch, conflict.Second.Branch }.OfType<string>().ToList();
                await messages.NotifyAsync(coordinator, subject,
                    $"{decidedBy} decided to merge both sides of conflict {conflict.Id}{why}. "
                    + (branches.Count == 2
                        ? $"Once both tasks are done, in the project: git merge --no-ff {branches[0]}, then git merge --no-ff {branches[1]} and resolve {string.Join(", ", conflict.Files)} (suggested order in the facts below)."
                        : "Merge the two changes by hand; one side has no branch of its own.")
                    + $"\n\n{Inputs.Shorten(conflict.Detail, 15_000)}", cancellationToken);
                break;
            default:
                foreach (var side in new[] { conflict.First, conflict.Second })
                {
                    await messages.NotifyAsync(side.AgentName, subject, $"{decidedBy} dismissed conflict {conflict.Id} as a false alarm{why}.", cancellationToken);
                }

                break;
        }

        await ProposeKnowledgeIfRepeatedAsync(conflict, cancellationToken);
    }

    /// <summary>
    /// Stops the yielding side's worker (ours, if one runs it), waits for its attempt to end, and makes its task wait for
    /// the other's, so it goes back to the queue only once the other is done. Says what became of the task.
    /// </summary>
    private async Task<string> YieldAsync(ConflictSide yielding, ConflictSide going, Guid conflictId, CancellationToken cancellationToken)
    {
        if (workers.Running.FirstOrDefault(r => r.AgentId == yielding.AgentId) is { } run)
        {
            run.Stop($"yielded to {going.AgentName} in conflict {conflictId}", retryable: true);
            try
            {
                await run.Completion.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (TimeoutException)
            {
                return "your worker is being stopped; your task will be tried again later.";
            }
        }

        if (yielding.TaskId is not { } mine || going.TaskId is not { } theirs)
        {
            return "stop your change to these files.";
        }

        try
        {
            var task = (await tasks.GetAsync(mine, cancellationToken)).Task;
            await tasks.UpdateAsync(mine, new Tasks.UpdateTaskRequest(DependsOn: [.. task.DependsOn.Append(theirs).Distinct()]), cancellationToken);
            return $"your task now waits for {going.AgentName}'s ('{going.TaskTitle}') and goes back to the queue when it is done.";
        }
        catch (DomainException ex)
        {
            // Taken by an agent that is still on it, or already over: it cannot be made to wait; the agent is told why.
            return $"your task could not be made to wait for theirs ({ex.Message}); stop your change to these files.";
        }
    }

    /// <summary>The same files conflicting again is a pattern worth writing down: the coordinator is asked to.</summary>
    private async Task ProposeKnowledgeIfRepeatedAsync(ConflictSnapshot conflict, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projectId = await db.Conflicts.Where(c => c.Id == conflict.Id).Select(c => c.ProjectId).SingleAsync(cancellationToken);
        var earlier = await db.Conflicts.AsNoTracking()
            .Where(c => c.Id != conflict.Id && c.State != ConflictState.Open && c.ProjectId == projectId)
            .OrderByDescending(c => c.DetectedAt).Take(200).Select(c => c.Files).ToListAsync(cancellationToken);
        var repeated = conflict.Files.Where(f => earlier.Any(files => files.Contains(f))).ToList();
        if (repeated.Count == 0)
        {
            return;
        }

        await messages.NotifyAsync(await CoordinatorOfAsync(conflict, cancellationToken), $"Knowledge proposed: {Inputs.Shorten(string.Join(", ", repeated), 120)} keep conflicting",
            $"{string.Join(", ", repeated)} conflicted again (conflict {conflict.Id}). Consider add_knowledge with category 'practice', a title like "
            + $"'Split work on {Inputs.Shorten(repeated[0], 80)}', tags for the area, and how to divide or sequence tasks that touch it.", cancellationToken);
    }

    /// <summary>Whoever created the tasks involved (the coordinator that planned them), else the person.</summary>
    private async Task<string> CoordinatorOfAsync(ConflictSnapshot conflict, CancellationToken cancellationToken)
    {
        var taskIds = new[] { conflict.First.TaskId, conflict.Second.TaskId }.OfType<Guid>().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var creators = await db.Tasks.AsNoTracking().Where(t => taskIds.Contains(t.Id) && t.CreatedByAgentId != null)
            .Select(t => t.CreatedByAgentId).ToListAsync(cancellationToken);
        // Names come from presence, which holds every agent ever registered.
        return creators.Select(id => presence.NameOf(id!.Value)).FirstOrDefault(name => name is not null) ?? Message.Human;
    }

    private static string Describe(ConflictSide side) => side.TaskTitle is { } title ? $"{side.AgentName} (task '{title}')" : side.AgentName;
}
