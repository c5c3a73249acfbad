using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Permissions;

/// <summary>
/// The permission rules: listed, created, changed and removed, each change stored with who made it. Every tool call
/// a worker needs permission for is judged against them, so the compiled policy is kept in memory and rebuilt after
/// each change (rules change rarely; evaluation must not touch the database).
/// </summary>
public sealed class PermissionRuleService(
    IDurableWriter writer, IDbContextFactory<VibeEnsembleDbContext> dbFactory, CoordinationEventBus events, TimeProvider time)
{
    public const int MaxRules = 5_000;

    private volatile PermissionPolicy? _policy;
    private volatile IReadOnlyList<PermissionRuleSnapshot>? _rules;
    private int _version;

    public async ValueTask<PermissionPolicy> PolicyAsync(CancellationToken cancellationToken) =>
        _policy ?? (await ReloadAsync(cancellationToken)).Policy;

    /// <summary>Every rule in the order they are evaluated: profile rules, project rules, then server rules.</summary>
    public async Task<IReadOnlyList<PermissionRuleSnapshot>> ListAsync(CancellationToken cancellationToken) =>
        _rules ?? (await ReloadAsync(cancellationToken)).Rules;

    /// <summary>Creates a rule (<paramref name="id"/> null) or changes one; the patterns are checked before anything is stored.</summary>
    public async Task<PermissionRuleSnapshot> SaveAsync(Guid? id, PermissionRuleRequest request, string updatedBy, CancellationToken cancellationToken)
    {
        var settings = Validate(request, updatedBy);
        var saved = await writer.ExecuteAsync(new SaveRuleCommand(id, settings, request.Position is null, updatedBy, time), cancellationToken);
        Invalidate();
        return saved;
    }

    /// <summary>Checks a rule without storing it: compiling checks every pattern and names the field that is wrong.</summary>
    /// <exception cref="DomainException">What is wrong, naming the field.</exception>
    public PermissionRuleSettings Validate(PermissionRuleRequest request, string updatedBy)
    {
        var settings = request.ToSettings();
        _ = new CompiledRule(PermissionRule.Create(settings, updatedBy, time.GetUtcNow()));
        return settings;
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await writer.ExecuteAsync(new DeleteRuleCommand(id), cancellationToken);
        Invalidate();
    }

    private void Invalidate()
    {
        Interlocked.Increment(ref _version);
        _policy = null;
        _rules = null;
        events.Publish(new PermissionRulesChanged(time.GetUtcNow()));
    }

    private async Task<(PermissionPolicy Policy, IReadOnlyList<PermissionRuleSnapshot> Rules)> ReloadAsync(CancellationToken cancellationToken)
    {
        var version = Volatile.Read(ref _version);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.PermissionRules.AsNoTracking().ToListAsync(cancellationToken);
        var policy = new PermissionPolicy(rules);
        IReadOnlyList<PermissionRuleSnapshot> ordered =
        [
            .. rules.OrderByDescending(r => r.Scope).ThenBy(r => r.ScopeName, StringComparer.OrdinalIgnoreCase)
                .ThenBy(r => r.Position).ThenBy(r => r.UpdatedAt).Select(PermissionRuleSnapshot.From),
        ];
        // A change committed while this read ran must not be hidden by the older list it read.
        if (version == Volatile.Read(ref _version))
        {
            _policy = policy;
            _rules = ordered;
        }

        return (policy, ordered);
    }
}

/// <summary>A rule as callers write it: names for scope and action, so that a wrong one gets a message, not a 500.</summary>
public sealed record PermissionRuleRequest(
    string? Scope, string? ScopeName, int? Position, string? ToolPattern, string? ArgumentPattern, string? Action, string? Note = null)
{
    public PermissionRuleSettings ToSettings() => new(
        ParseEnum<PermissionScope>(Scope, "scope", "server, project or profile", PermissionScope.Server),
        ScopeName, Position ?? 0, ToolPattern ?? "", ArgumentPattern,
        ParseEnum<PermissionAction>(Action, "action", "allow, deny or ask", null), Note);

    private static T ParseEnum<T>(string? value, string field, string expected, T? fallback)
        where T : struct, Enum =>
        Inputs.Enum<T>(value, field, expected) ?? fallback ?? throw new DomainException($"'{field}' is required: {expected}.");
}

internal sealed class SaveRuleCommand(Guid? id, PermissionRuleSettings settings, bool placeLast, string updatedBy, TimeProvider time)
    : IWriteCommand<PermissionRuleSnapshot>
{
    public PermissionRuleSnapshot Execute(WriteContext context)
    {
        var db = context.Db;
        var now = time.GetUtcNow();
        if (placeLast)
        {
            // No position given: after the scope's last rule, leaving room to slot one in between later.
            var last = db.PermissionRules.Where(r => r.Scope == settings.Scope && r.ScopeName == settings.ScopeName)
                .Max(r => (int?)r.Position);
            settings = settings with { Position = last is { } p ? Math.Min(p + 10, 1_000_000) : 10 };
        }

        PermissionRule rule;
        if (id is { } existing)
        {
            rule = db.PermissionRules.SingleOrDefault(r => r.Id == existing) ?? throw new EntityNotFoundException("Permission rule", existing.ToString());
            rule.Change(settings, updatedBy, now);
        }
        else
        {
            if (db.PermissionRules.Count() >= PermissionRuleService.MaxRules)
            {
                throw new DomainException($"There are already {PermissionRuleService.MaxRules} permission rules; remove some first.");
            }

            rule = PermissionRule.Create(settings, updatedBy, now);
            db.PermissionRules.Add(rule);
        }

        db.SaveChanges();
        return PermissionRuleSnapshot.From(rule);
    }
}

internal sealed class DeleteRuleCommand(Guid id) : IWriteCommand<bool>
{
    public bool Execute(WriteContext context)
    {
        var rule = context.Db.PermissionRules.SingleOrDefault(r => r.Id == id) ?? throw new EntityNotFoundException("Permission rule", id.ToString());
        context.Db.PermissionRules.Remove(rule);
        context.Db.SaveChanges();
        return true;
    }
}
