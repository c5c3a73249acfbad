using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Workers;

/// <summary>
/// A kind of worker the server can spawn (the seed's "specialized workers"): what it covers, how Claude Code is
/// started for it, and how its attempts are limited and retried. A task goes to the profile that covers its
/// required capabilities most tightly; <see cref="AnyCapability"/> covers everything.
/// </summary>
public sealed class WorkerProfile
{
    public const string AnyCapability = "*";
    public const string DefaultName = "default";
    public const int PromptMaxLength = 20_000;

    /// <summary>Claude Code's <c>--permission-mode</c> values (2.1.x).</summary>
    public static readonly IReadOnlyList<string> PermissionModes = ["default", "acceptEdits", "auto", "bypassPermissions", "dontAsk", "plan"];

    private WorkerProfile()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public IReadOnlyList<string> Capabilities { get; private set; } = [];

    /// <summary>Appended to Claude Code's system prompt (<c>--append-system-prompt</c>).</summary>
    public string SystemPrompt { get; private set; } = "";

    /// <summary>The model to ask for (<c>--model</c>), or null for Claude Code's default.</summary>
    public string? Model { get; private set; }

    public string PermissionMode { get; private set; } = "acceptEdits";

    public IReadOnlyList<string> AllowedTools { get; private set; } = [];

    public IReadOnlyList<string> DisallowedTools { get; private set; } = [];

    public int MaxConcurrentWorkers { get; private set; }

    /// <summary>How long one attempt may run before its process group is stopped.</summary>
    public TimeSpan Timeout { get; private set; }

    /// <summary>Spending cap per attempt (<c>--max-budget-usd</c>), or null for none.</summary>
    public decimal? MaxBudgetUsd { get; private set; }

    public int MaxAttempts { get; private set; }

    public TimeSpan RetryBaseDelay { get; private set; }

    public TimeSpan RetryMaxDelay { get; private set; }

    /// <summary>Set while the profile's account hit a rate or usage limit: nothing is spawned for it before then.</summary>
    public DateTimeOffset? ParkedUntil { get; private set; }

    public string? ParkedReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static WorkerProfile Create(string name, WorkerProfileSettings settings, DateTimeOffset now)
    {
        var profile = new WorkerProfile { Id = Guid.CreateVersion7(now), Name = Guard.Required(name, "name", 100), CreatedAt = now };
        profile.Change(settings, now);
        return profile;
    }

    /// <summary>The profile shipped with the server: any capability, edits allowed, Claude Code's default model.</summary>
    public static WorkerProfile CreateDefault(DateTimeOffset now) => Create(DefaultName, new WorkerProfileSettings(
        [AnyCapability],
        "You are a worker in a Vibe Ensemble. Do the one task you were given, in the working directory, then report it "
        + "with complete_task (or fail_task if you cannot finish it)."), now);

    public void Change(WorkerProfileSettings settings, DateTimeOffset now)
    {
        var mode = PermissionModes.FirstOrDefault(m => string.Equals(m, settings.PermissionMode?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new DomainException($"'permissionMode' must be one of {string.Join(", ", PermissionModes)}.");
        Check(settings.MaxConcurrentWorkers, 1, 64, "maxConcurrentWorkers");
        Check(settings.MaxAttempts, 1, 100, "maxAttempts");
        Check(settings.TimeoutSeconds, 10, 24 * 3600, "timeoutSeconds");
        Check(settings.RetryBaseDelaySeconds, 0, 3600, "retryBaseDelaySeconds");
        Check(settings.RetryMaxDelaySeconds, settings.RetryBaseDelaySeconds, 24 * 3600, "retryMaxDelaySeconds");
        if (settings.MaxBudgetUsd is < 0.01m or > 10_000m)
        {
            throw new DomainException("'maxBudgetUsd' must be between 0.01 and 10000, or omitted for no cap.");
        }

        Capabilities = Guard.Labels(settings.Capabilities, "capabilities");
        SystemPrompt = Guard.Optional(settings.SystemPrompt, "systemPrompt", PromptMaxLength) ?? "";
        Model = Guard.Optional(settings.Model, "model", 100);
        PermissionMode = mode;
        AllowedTools = Guard.Labels(settings.AllowedTools, "allowedTools", maxLength: 500);
        DisallowedTools = Guard.Labels(settings.DisallowedTools, "disallowedTools", maxLength: 500);
        MaxConcurrentWorkers = settings.MaxConcurrentWorkers;
        Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        MaxBudgetUsd = settings.MaxBudgetUsd;
        MaxAttempts = settings.MaxAttempts;
        RetryBaseDelay = TimeSpan.FromSeconds(settings.RetryBaseDelaySeconds);
        RetryMaxDelay = TimeSpan.FromSeconds(settings.RetryMaxDelaySeconds);
        UpdatedAt = now;
    }

    /// <summary>
    /// How tightly the profile fits <paramref name="required"/>: null when it does not cover them all (case-insensitive
    /// set inclusion), else the number of capabilities it has beyond them (smaller is a better fit).
    /// </summary>
    public int? Fit(IReadOnlyCollection<string> required)
    {
        if (Capabilities.Contains(AnyCapability))
        {
            return int.MaxValue;
        }

        var has = new HashSet<string>(Capabilities, StringComparer.OrdinalIgnoreCase);
        return required.All(has.Contains) ? has.Count - required.Count : null;
    }

    /// <summary>Stops spawning for this profile until <paramref name="until"/> (a rate or usage limit).</summary>
    public void Park(DateTimeOffset until, string reason, DateTimeOffset now)
    {
        ParkedUntil = until;
        ParkedReason = Guard.Required(reason, "reason", 1_000);
        UpdatedAt = now;
    }

    public bool IsParked(DateTimeOffset now) => ParkedUntil > now;

    private static void Check(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new DomainException($"'{name}' must be between {min} and {max}.");
        }
    }
}

/// <summary>What a profile is, as a person or the coordinator sets it; defaults are the shipped profile's.</summary>
public sealed record WorkerProfileSettings(
    IReadOnlyList<string>? Capabilities = null,
    string? SystemPrompt = null,
    string? Model = null,
    string? PermissionMode = "acceptEdits",
    IReadOnlyList<string>? AllowedTools = null,
    IReadOnlyList<string>? DisallowedTools = null,
    int MaxConcurrentWorkers = 4,
    int TimeoutSeconds = 1800,
    decimal? MaxBudgetUsd = null,
    int MaxAttempts = 3,
    int RetryBaseDelaySeconds = 5,
    int RetryMaxDelaySeconds = 300);
