using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Projects;

/// <summary>
/// A code base the ensemble works on: where spawned workers run, and the rules every worker prompt carries.
/// Tasks belong to a project. Whether the directory exists is checked by the service (it is I/O).
/// </summary>
public sealed class Project
{
    public const int NameMaxLength = 100;
    public const int RulesMaxLength = 20_000;
    public const int MaxWorkersLimit = 64;

    private Project()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Absolute path of the project's directory; workers run there (or in a worktree of it).</summary>
    public string WorkingDirectory { get; private set; } = "";

    public string Description { get; private set; } = "";

    /// <summary>Text put into every worker prompt for this project (conventions, commands, what not to touch).</summary>
    public string Rules { get; private set; } = "";

    public int MaxConcurrentWorkers { get; private set; }

    /// <summary>Where its tasks' workers run unless a task says otherwise.</summary>
    public Tasks.TaskIsolation DefaultIsolation { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Project Create(
        string name, string workingDirectory, string? description, string? rules, int? maxConcurrentWorkers, DateTimeOffset now,
        Tasks.TaskIsolation defaultIsolation = Tasks.TaskIsolation.Shared)
    {
        var project = new Project { Id = Guid.CreateVersion7(now), Name = Guard.Required(name, "name", NameMaxLength), CreatedAt = now };
        project.Change(workingDirectory, description, rules, maxConcurrentWorkers ?? 4, now, defaultIsolation);
        return project;
    }

    /// <summary>Replaces what the project is; the name is its identity and stays.</summary>
    public void Change(
        string workingDirectory, string? description, string? rules, int maxConcurrentWorkers, DateTimeOffset now,
        Tasks.TaskIsolation defaultIsolation = Tasks.TaskIsolation.Shared)
    {
        var directory = Guard.Required(workingDirectory, "workingDirectory", 4_000);
        if (!Path.IsPathFullyQualified(directory))
        {
            throw new DomainException($"'workingDirectory' must be an absolute path; '{directory}' is relative.");
        }

        if (maxConcurrentWorkers is < 1 or > MaxWorkersLimit)
        {
            throw new DomainException($"'maxConcurrentWorkers' must be between 1 and {MaxWorkersLimit}.");
        }

        WorkingDirectory = Path.TrimEndingDirectorySeparator(directory) is { Length: > 0 } trimmed ? trimmed : directory;
        Description = Guard.Optional(description, "description", 2_000) ?? "";
        Rules = Guard.Optional(rules, "rules", RulesMaxLength) ?? "";
        MaxConcurrentWorkers = maxConcurrentWorkers;
        DefaultIsolation = defaultIsolation;
        UpdatedAt = now;
    }
}
