using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Infrastructure.Agents;

namespace VibeEnsemble.Infrastructure.Conflicts;

/// <summary>
/// A refused reservation is a conflict averted: recorded (settled at once, so it needs no decision but counts as a hot
/// spot and shows in the history), and, when the caller asks, each holder is sent a message asking for the files.
/// </summary>
public sealed partial class ConflictService
{
    private static readonly TimeSpan SameRefusalWithin = TimeSpan.FromHours(1);

    /// <summary><c>reserve_files</c>: reserves, or records the refusal and asks the holders when <c>askHolders</c>.</summary>
    public async Task<ReservationResult> ReserveAsync(ReserveFilesRequest request, AgentSnapshot agent, CancellationToken cancellationToken)
    {
        var result = await reservations.ReserveAsync(request, agent, cancellationToken);
        if (result.Granted || result.Overlaps.Count == 0)
        {
            return result;
        }

        var project = await projects.ResolveAsync(request.Project, cancellationToken);
        var holders = await HoldersAsync(result.Overlaps, cancellationToken);
        foreach (var (holder, overlaps) in holders)
        {
            await RecordRefusalAsync(project?.Id, agent, holder, overlaps, cancellationToken);
            if (request.AskHolders == true)
            {
                var held = overlaps.First().HeldBy;
                await messages.NotifyAsync(held.Agent, $"{agent.Name} asks for {Inputs.Shorten(string.Join(", ", overlaps.Select(o => o.Path).Distinct()), 120)}",
                    $"{agent.Name} wants to reserve {string.Join(", ", overlaps.Select(o => o.Path).Distinct())}{(request.Reason is { } why ? $" ({why})" : "")}, "
                    + $"which you hold ({string.Join(", ", overlaps.Select(o => o.HeldBy.Path).Distinct())}). release_files when you are done with them, or reply to say when.",
                    cancellationToken);
            }
        }

        return request.AskHolders == true ? result with { Advice = $"{result.Advice} The holders were asked to release them." } : result;
    }

    private async Task<List<(Guid Holder, List<ReservationOverlap> Overlaps)>> HoldersAsync(IReadOnlyList<ReservationOverlap> overlaps, CancellationToken cancellationToken)
    {
        var ids = overlaps.Select(o => o.HeldBy.Id).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agentOf = await db.FileClaims.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.AgentId, cancellationToken);
        return [.. overlaps.Where(o => agentOf.ContainsKey(o.HeldBy.Id)).GroupBy(o => agentOf[o.HeldBy.Id]).Select(g => (g.Key, g.ToList()))];
    }

    private async Task RecordRefusalAsync(Guid? projectId, AgentSnapshot asking, Guid holderId, List<ReservationOverlap> overlaps, CancellationToken cancellationToken)
    {
        var held = overlaps[0].HeldBy;
        var first = new ConflictSide(holderId, held.Agent, held.TaskId, null, null);
        var second = new ConflictSide(asking.Id, asking.Name, null, null, null);
        var files = overlaps.Select(o => o.Path).Distinct(StringComparer.Ordinal).ToList();
        var conflict = await writer.ExecuteAsync(new WriteCommand<Conflict?>(context =>
        {
            var now = time.GetUtcNow();
            var key = Conflict.KeyOf(ConflictKind.Reservation, first, second);
            var since = now - SameRefusalWithin;
            // An agent asking again and again is one refusal, not a flood of them.
            if (context.Db.Conflicts.AsNoTracking().Where(c => c.Key == key && c.DetectedAt >= since).AsEnumerable().Any(c => files.All(c.Files.Contains)))
            {
                return null;
            }

            var refused = Conflict.Detect(projectId, ConflictKind.Reservation, first, second, ConflictSeverity.Low, files,
                $"{asking.Name} asked to reserve {string.Join(", ", files)}; refused, since {held.Agent} holds "
                + $"{string.Join(", ", overlaps.Select(o => $"{o.HeldBy.Path} ({o.HeldBy.Reason ?? "no reason given"}, until {o.HeldBy.ExpiresAt:u})").Distinct())}.", now);
            refused.Resolve(ConflictOutcome.Averted, Tasks.TaskEscalations.Sender, "the reservation was refused before anything collided", now);
            context.Db.Conflicts.Add(refused);
            context.Db.SaveChanges();
            return refused;
        }), cancellationToken);
        if (conflict is not null)
        {
            ForgetHotSpots();
            events.Publish(new ConflictChanged("averted", await SnapshotAsync(conflict, cancellationToken), time.GetUtcNow()));
        }
    }
}
