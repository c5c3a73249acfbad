using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Projects;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Projects;

/// <summary>
/// Projects: created or changed by name (upsert), listed, and resolved when a task names one. They change rarely and
/// every task creation resolves one, so the list is kept in memory and reloaded after an upsert, or when a name is
/// not found in it (a <c>--stdio</c> process on the same file may have added it).
/// </summary>
public sealed class ProjectService(IDurableWriter writer, IDbContextFactory<VibeEnsembleDbContext> dbFactory, TimeProvider time)
{
    private volatile IReadOnlyList<ProjectSnapshot>? _cached;

    public async Task<IReadOnlyList<ProjectSnapshot>> ListAsync(CancellationToken cancellationToken) =>
        _cached ?? await ReloadAsync(cancellationToken);

    /// <summary>Creates the project, or replaces what it is when the name is known. The directory must exist.</summary>
    public Task<ProjectSnapshot> UpsertAsync(UpsertProjectRequest request, CancellationToken cancellationToken)
    {
        var directory = request.WorkingDirectory?.Trim();
        if (!string.IsNullOrEmpty(directory) && Path.IsPathFullyQualified(directory) && !Directory.Exists(directory))
        {
            throw new DomainException($"'workingDirectory' '{directory}' does not exist or is not a directory.");
        }

        return UpsertCoreAsync(request, cancellationToken);
    }

    private async Task<ProjectSnapshot> UpsertCoreAsync(UpsertProjectRequest request, CancellationToken cancellationToken)
    {
        var saved = await writer.ExecuteAsync(new UpsertProjectCommand(request, time), cancellationToken);
        _cached = null;
        return saved;
    }

    private async Task<IReadOnlyList<ProjectSnapshot>> ReloadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        IReadOnlyList<ProjectSnapshot> projects = await db.Projects.AsNoTracking().OrderBy(p => p.Name).Select(ProjectSnapshot.Projection).ToListAsync(cancellationToken);
        _cached = projects;
        return projects;
    }

    /// <summary>
    /// The project a new task belongs to: the one named, else the only project there is, else none (connected agents
    /// can still take the task; spawning a worker needs a project).
    /// </summary>
    public async Task<ProjectSnapshot?> ResolveAsync(string? name, CancellationToken cancellationToken)
    {
        var projects = await ListAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(name))
        {
            var trimmed = name.Trim();
            return Named(projects, trimmed) ?? Named(await ReloadAsync(cancellationToken), trimmed)
                ?? throw new EntityNotFoundException("Project", trimmed);
        }

        return projects.Count == 1 ? projects[0] : null;
    }

    private static ProjectSnapshot? Named(IReadOnlyList<ProjectSnapshot> projects, string name) =>
        projects.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads an isolation name as callers write it ("shared", "worktree"); null or blank for the default.</summary>
    public static TaskIsolation? ParseIsolation(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : Enum.TryParse<TaskIsolation>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : throw new DomainException($"Unknown isolation '{Inputs.Shorten(value, 40)}'; use shared or worktree.");
}

public sealed record UpsertProjectRequest(
    string Name, string WorkingDirectory, string? Description = null, string? Rules = null, int? MaxConcurrentWorkers = null,
    string? DefaultIsolation = null);

public sealed record ProjectSnapshot(
    Guid Id, string Name, string WorkingDirectory, string Description, string Rules, int MaxConcurrentWorkers,
    TaskIsolation DefaultIsolation, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static System.Linq.Expressions.Expression<Func<Project, ProjectSnapshot>> Projection { get; } = p =>
        new ProjectSnapshot(p.Id, p.Name, p.WorkingDirectory, p.Description, p.Rules, p.MaxConcurrentWorkers, p.DefaultIsolation,
            p.CreatedAt, p.UpdatedAt);

    private static readonly Func<Project, ProjectSnapshot> s_from = Projection.Compile();

    public static ProjectSnapshot From(Project project) => s_from(project);
}

internal sealed class UpsertProjectCommand(UpsertProjectRequest request, TimeProvider time) : IWriteCommand<ProjectSnapshot>
{
    public ProjectSnapshot Execute(WriteContext context)
    {
        var db = context.Db;
        var now = time.GetUtcNow();
        var name = Project.Create(request.Name, request.WorkingDirectory, null, null, 1, now).Name;
        var project = db.Projects.SingleOrDefault(p => p.Name == name);
        if (project is null)
        {
            project = Project.Create(name, request.WorkingDirectory, request.Description, request.Rules, request.MaxConcurrentWorkers, now,
                ProjectService.ParseIsolation(request.DefaultIsolation) ?? TaskIsolation.Shared);
            db.Projects.Add(project);
        }
        else
        {
            project.Change(request.WorkingDirectory, request.Description, request.Rules,
                request.MaxConcurrentWorkers ?? project.MaxConcurrentWorkers, now,
                ProjectService.ParseIsolation(request.DefaultIsolation) ?? project.DefaultIsolation);
        }

        db.SaveChanges();
        return ProjectSnapshot.From(project);
    }

    public void OnCommitted()
    {
    }
}
