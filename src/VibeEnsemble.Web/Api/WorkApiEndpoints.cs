using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Projects;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Infrastructure.Workers;
using VibeEnsemble.Web.Rpc;

namespace VibeEnsemble.Web.Api;

/// <summary>
/// Tasks, workers, profiles and projects over HTTP, for scripts and CI: the same services as the MCP tools and
/// <c>vibe/*</c>. Refusals are ProblemDetails (400 with the service's message, 404 for an unknown id).
/// </summary>
internal static class WorkApiEndpoints
{
    public static RouteGroupBuilder MapWorkApi(this RouteGroupBuilder api)
    {
        api.MapGet("/tasks", (TaskService tasks, string? status, int? limit, CancellationToken cancellationToken) =>
            tasks.ListAsync(TaskIds.ParseStatus(status), limit, cancellationToken));
        api.MapPost("/tasks", async (TaskService tasks, CreateTaskRequest? request, CancellationToken cancellationToken) =>
        {
            var created = await tasks.CreateAsync(request ?? throw new DomainException("A JSON body with at least 'title' is required."),
                creator: null, cancellationToken);
            return TypedResults.Created($"/api/tasks/{created.Id}", created);
        });
        api.MapGet("/tasks/{taskId}", (TaskService tasks, string taskId, CancellationToken cancellationToken) =>
            tasks.GetAsync(TaskIds.Parse(taskId), cancellationToken));
        api.MapPost("/tasks/{taskId}/cancel", (TaskService tasks, string taskId, string? reason, CancellationToken cancellationToken) =>
            tasks.CancelAsync(TaskIds.Parse(taskId), reason, cancellationToken));
        api.MapPost("/tasks/{taskId}/retry", (TaskService tasks, string taskId, CancellationToken cancellationToken) =>
            tasks.RetryAsync(TaskIds.Parse(taskId), cancellationToken));

        api.MapGet("/workers", (WorkerService workers, bool? runningOnly, int? limit, CancellationToken cancellationToken) =>
            workers.ListAsync(runningOnly ?? false, limit, cancellationToken));
        api.MapGet("/workers/{workerId:guid}/output",
            (WorkerService workers, Guid workerId, long? after, int? limit, bool? tail, CancellationToken cancellationToken) =>
                workers.OutputAsync(workerId, after ?? 0, limit, tail ?? false, cancellationToken));
        api.MapPost("/workers/{workerId:guid}/stop", (WorkerService workers, Guid workerId, string? reason, CancellationToken cancellationToken) =>
            workers.StopAsync(workerId, reason, cancellationToken));

        api.MapGet("/profiles", (ProfileService profiles, CancellationToken cancellationToken) => profiles.ListAsync(cancellationToken));
        api.MapPost("/profiles", (ProfileService profiles, UpsertProfileRequest? request, CancellationToken cancellationToken) =>
            profiles.UpsertAsync(request?.Name ?? "", (request ?? new UpsertProfileRequest(null)).ToSettings(), cancellationToken));
        api.MapGet("/projects", (ProjectService projects, CancellationToken cancellationToken) => projects.ListAsync(cancellationToken));
        api.MapPost("/projects", (ProjectService projects, UpsertProjectRequest? request, CancellationToken cancellationToken) =>
            projects.UpsertAsync(request ?? throw new DomainException("A JSON body with 'name' and 'workingDirectory' is required."), cancellationToken));
        return api;
    }
}
