using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Web.Components.Pages.Workers;

/// <summary>What the profile editor holds; the domain validates it and its messages are shown as they are.</summary>
internal sealed class ProfileForm
{
    public bool Existing { get; init; }

    public string? Name { get; set; }

    public string? Capabilities { get; set; } = WorkerProfile.AnyCapability;

    public string? SystemPrompt { get; set; }

    public string? Model { get; set; }

    public string PermissionMode { get; set; } = "acceptEdits";

    public string? AllowedTools { get; set; }

    public string? DisallowedTools { get; set; }

    public int MaxConcurrentWorkers { get; set; } = 4;

    public int TimeoutSeconds { get; set; } = 1800;

    public decimal? MaxBudgetUsd { get; set; }

    public int MaxAttempts { get; set; } = 3;

    public int RetryBaseDelaySeconds { get; set; } = 5;

    public int RetryMaxDelaySeconds { get; set; } = 300;

    public static ProfileForm From(ProfileSnapshot profile) => new()
    {
        Existing = true,
        Name = profile.Name,
        Capabilities = string.Join(", ", profile.Capabilities),
        SystemPrompt = profile.SystemPrompt,
        Model = profile.Model,
        PermissionMode = profile.PermissionMode,
        AllowedTools = string.Join(", ", profile.AllowedTools),
        DisallowedTools = string.Join(", ", profile.DisallowedTools),
        MaxConcurrentWorkers = profile.MaxConcurrentWorkers,
        TimeoutSeconds = profile.TimeoutSeconds,
        MaxBudgetUsd = profile.MaxBudgetUsd,
        MaxAttempts = profile.MaxAttempts,
        RetryBaseDelaySeconds = profile.RetryBaseDelaySeconds,
        RetryMaxDelaySeconds = profile.RetryMaxDelaySeconds,
    };

    public WorkerProfileSettings ToSettings() => new(
        Split(Capabilities), SystemPrompt, Model, PermissionMode, Split(AllowedTools), Split(DisallowedTools), MaxConcurrentWorkers,
        TimeoutSeconds, MaxBudgetUsd, MaxAttempts, RetryBaseDelaySeconds, RetryMaxDelaySeconds);

    // Tool rules hold commas only inside parentheses (Bash(git log:*)), so split on the commas outside them.
    private static string[] Split(string? text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        var value = text ?? "";
        for (var i = 0; i < value.Length; i++)
        {
            depth += value[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (value[i] == ',' && depth <= 0)
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }

        parts.Add(value[start..]);
        return [.. parts.Select(p => p.Trim()).Where(p => p.Length > 0)];
    }
}
