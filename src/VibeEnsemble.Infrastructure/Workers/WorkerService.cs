using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Workers.Output;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>Workers as callers see them: listed (running first), their output, and stopping one.</summary>
public sealed class WorkerService(IDbContextFactory<VibeEnsembleDbContext> dbFactory, WorkerRegistry registry)
{
    public const int MaxListed = 500;
    public const int MaxOutputLines = 1_000;

    public async Task<IReadOnlyList<WorkerSnapshot>> ListAsync(bool runningOnly, int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? 50;
        if (take is < 1 or > MaxListed)
        {
            throw new DomainException($"'limit' must be between 1 and {MaxListed}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Workers.AsNoTracking();
        if (runningOnly)
        {
            query = query.Where(w => w.State == WorkerState.Starting || w.State == WorkerState.Running);
        }

        var workers = await query.OrderByDescending(w => w.CreatedAt).Take(take).Select(WorkerSnapshot.Projection).ToListAsync(cancellationToken);
        return [.. workers.Select(Live)];
    }

    public async Task<WorkerSnapshot> GetAsync(Guid workerId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var worker = await db.Workers.AsNoTracking().Where(w => w.Id == workerId).Select(WorkerSnapshot.Projection).SingleOrDefaultAsync(cancellationToken)
            ?? throw new EntityNotFoundException("Worker", workerId.ToString());
        return Live(worker);
    }

    /// <summary>Output lines after <paramref name="afterSequence"/>, oldest first; the last ones when <paramref name="tail"/>.</summary>
    public async Task<IReadOnlyList<WorkerOutputSnapshot>> OutputAsync(
        Guid workerId, long afterSequence, int? limit, bool tail, CancellationToken cancellationToken)
    {
        var take = limit ?? 200;
        if (take is < 1 or > MaxOutputLines)
        {
            throw new DomainException($"'limit' must be between 1 and {MaxOutputLines}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Workers.AnyAsync(w => w.Id == workerId, cancellationToken))
        {
            throw new EntityNotFoundException("Worker", workerId.ToString());
        }

        var query = db.WorkerOutput.AsNoTracking().Where(l => l.WorkerId == workerId && l.Sequence > afterSequence);
        var lines = tail
            ? (await query.OrderByDescending(l => l.Sequence).Take(take).ToListAsync(cancellationToken)).AsEnumerable().Reverse()
            : await query.OrderBy(l => l.Sequence).Take(take).ToListAsync(cancellationToken);
        return [.. lines.Select(WorkerOutput.Describe)];
    }

    /// <summary>
    /// Stops a running worker's process group and waits for it to be settled: its attempt ends as interrupted and
    /// the task fails (retry_task puts it back).
    /// </summary>
    public async Task<WorkerSnapshot> StopAsync(Guid workerId, string? reason, CancellationToken cancellationToken)
    {
        var run = registry.Find(workerId)
            ?? throw new DomainException($"Worker {workerId} is not running (it may have ended already; see list_workers).");
        var why = reason?.Trim() is { Length: > 0 } given ? $"stopped: {given[..Math.Min(given.Length, 500)]}" : "stopped by request";
        run.Stop(why);
        await run.Completion.WaitAsync(cancellationToken);
        return await GetAsync(workerId, cancellationToken);
    }

    private WorkerSnapshot Live(WorkerSnapshot worker) =>
        registry.Find(worker.Id) is { Stalled: true } ? worker with { Stalled = true } : worker;
}

/// <summary>Turns a stored line into what views show: the parsed kind and a short text.</summary>
public static class WorkerOutput
{
    /// <summary>Where output lines too long for the database are kept whole, one folder per worker.</summary>
    public static string FolderIn(string dataDirectory) => Path.Combine(dataDirectory, "output");

    public static WorkerOutputSnapshot Describe(WorkerOutputLine line)
    {
        if (line.Stream == OutputStream.StandardError)
        {
            return new(line.Sequence, line.Stream, "stderr", line.Text, line.At);
        }

        var parsed = StreamJsonEvent.Parse(line.Text);
        return new(line.Sequence, line.Stream, parsed.Kind.ToString(), parsed.Summary, line.At);
    }
}
