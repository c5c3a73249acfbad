using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>Worker profiles: listed, and created or changed by name. The default one is added by a migration.</summary>
public sealed class ProfileService(IDurableWriter writer, IDbContextFactory<VibeEnsembleDbContext> dbFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<ProfileSnapshot>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var profiles = await db.WorkerProfiles.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return [.. profiles.Select(ProfileSnapshot.From)];
    }

    public Task<ProfileSnapshot> UpsertAsync(string name, WorkerProfileSettings settings, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(new UpsertProfileCommand(name, settings, time), cancellationToken);

    private sealed class UpsertProfileCommand(string name, WorkerProfileSettings settings, TimeProvider time) : IWriteCommand<ProfileSnapshot>
    {
        public ProfileSnapshot Execute(WriteContext context)
        {
            var db = context.Db;
            var now = time.GetUtcNow();
            var candidate = WorkerProfile.Create(name, settings, now);
            var profile = db.WorkerProfiles.SingleOrDefault(p => p.Name == candidate.Name);
            if (profile is null)
            {
                db.WorkerProfiles.Add(profile = candidate);
            }
            else
            {
                profile.Change(settings, now);
            }

            db.SaveChanges();
            return ProfileSnapshot.From(profile);
        }
    }
}

public sealed record ProfileSnapshot(
    Guid Id, string Name, IReadOnlyList<string> Capabilities, string SystemPrompt, string? Model, string PermissionMode,
    IReadOnlyList<string> AllowedTools, IReadOnlyList<string> DisallowedTools, int MaxConcurrentWorkers, int TimeoutSeconds,
    decimal? MaxBudgetUsd, int MaxAttempts, int RetryBaseDelaySeconds, int RetryMaxDelaySeconds,
    DateTimeOffset? ParkedUntil, string? ParkedReason, DateTimeOffset UpdatedAt)
{
    public static ProfileSnapshot From(WorkerProfile p) => new(
        p.Id, p.Name, p.Capabilities, p.SystemPrompt, p.Model, p.PermissionMode, p.AllowedTools, p.DisallowedTools,
        p.MaxConcurrentWorkers, (int)p.Timeout.TotalSeconds, p.MaxBudgetUsd, p.MaxAttempts,
        (int)p.RetryBaseDelay.TotalSeconds, (int)p.RetryMaxDelay.TotalSeconds, p.ParkedUntil, p.ParkedReason, p.UpdatedAt);

    public WorkerProfileSettings ToSettings() => new(
        Capabilities, SystemPrompt, Model, PermissionMode, AllowedTools, DisallowedTools, MaxConcurrentWorkers,
        TimeoutSeconds, MaxBudgetUsd, MaxAttempts, RetryBaseDelaySeconds, RetryMaxDelaySeconds);
}
