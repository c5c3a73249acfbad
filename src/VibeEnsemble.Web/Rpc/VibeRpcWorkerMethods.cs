using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Projects;
using VibeEnsemble.Infrastructure.Transports.JsonRpc;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Web.Rpc;

/// <summary>
/// <c>vibe/worker/*</c>, <c>vibe/profile/*</c> and <c>vibe/project/*</c>: the twins of the MCP worker, profile and
/// project tools, over the same services.
/// </summary>
internal static class VibeRpcWorkerMethods
{
    public static JsonRpcMethods<VibeRpcConnection> AddWorkerMethods(
        this JsonRpcMethods<VibeRpcConnection> methods, WorkerService workers, ProfileService profiles, ProjectService projects) => methods
        .Add<ListWorkersRequest, IReadOnlyList<WorkerSnapshot>>("vibe/worker/list",
            (request, _, cancellationToken) => workers.ListAsync(request?.RunningOnly ?? false, request?.Limit, cancellationToken))
        .Add<WorkerOutputRequest, IReadOnlyList<WorkerOutputSnapshot>>("vibe/worker/output",
            (request, _, cancellationToken) => workers.OutputAsync(WorkerIds.Parse(request?.WorkerId), request?.AfterSequence ?? 0, request?.Limit,
                request?.Tail ?? false, cancellationToken))
        .Add<StopWorkerRequest, WorkerSnapshot>("vibe/worker/stop",
            (request, _, cancellationToken) => workers.StopAsync(WorkerIds.Parse(request?.WorkerId), request?.Reason, cancellationToken))
        .Add<EmptyRequest, IReadOnlyList<ProfileSnapshot>>("vibe/profile/list",
            (_, _, cancellationToken) => profiles.ListAsync(cancellationToken))
        .Add<UpsertProfileRequest, ProfileSnapshot>("vibe/profile/upsert",
            (request, _, cancellationToken) => profiles.UpsertAsync(request?.Name ?? "", (request ?? new UpsertProfileRequest(null)).ToSettings(), cancellationToken))
        .Add<EmptyRequest, IReadOnlyList<ProjectSnapshot>>("vibe/project/list",
            (_, _, cancellationToken) => projects.ListAsync(cancellationToken))
        .Add<UpsertProjectRequest, ProjectSnapshot>("vibe/project/upsert",
            (request, _, cancellationToken) => projects.UpsertAsync(
                request ?? throw new DomainException("'name' and 'workingDirectory' are required."), cancellationToken));
}

internal sealed record EmptyRequest;

internal sealed record ListWorkersRequest(bool? RunningOnly = null, int? Limit = null);

internal sealed record WorkerOutputRequest(string? WorkerId, long? AfterSequence = null, int? Limit = null, bool? Tail = null);

internal sealed record StopWorkerRequest(string? WorkerId, string? Reason = null);

/// <summary>A profile as <c>vibe/profile/upsert</c> takes it; omitted settings take their defaults.</summary>
internal sealed record UpsertProfileRequest(
    string? Name, IReadOnlyList<string>? Capabilities = null, string? SystemPrompt = null, string? Model = null,
    string? PermissionMode = null, IReadOnlyList<string>? AllowedTools = null, IReadOnlyList<string>? DisallowedTools = null,
    int? MaxConcurrentWorkers = null, int? TimeoutSeconds = null, decimal? MaxBudgetUsd = null, int? MaxAttempts = null,
    int? RetryBaseDelaySeconds = null, int? RetryMaxDelaySeconds = null)
{
    public WorkerProfileSettings ToSettings()
    {
        var defaults = new WorkerProfileSettings();
        return new WorkerProfileSettings(Capabilities, SystemPrompt, Model, PermissionMode ?? defaults.PermissionMode, AllowedTools,
            DisallowedTools, MaxConcurrentWorkers ?? defaults.MaxConcurrentWorkers, TimeoutSeconds ?? defaults.TimeoutSeconds,
            MaxBudgetUsd, MaxAttempts ?? defaults.MaxAttempts, RetryBaseDelaySeconds ?? defaults.RetryBaseDelaySeconds,
            RetryMaxDelaySeconds ?? defaults.RetryMaxDelaySeconds);
    }
}
