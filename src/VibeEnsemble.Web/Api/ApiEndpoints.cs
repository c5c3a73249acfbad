using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Stats;
using VibeEnsemble.Web.Hosting;
using VibeEnsemble.Web.Mcp;

namespace VibeEnsemble.Web.Api;

/// <summary>The JSON endpoints: health, statistics and the agent list; tasks and workers in <see cref="WorkApiEndpoints"/>.</summary>
internal static class ApiEndpoints
{
    public static WebApplication MapVibeApi(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/health", GetHealthAsync);
        api.MapGet("/stats", GetStatsAsync);
        api.MapGet("/agents", ListAgentsAsync);
        api.MapWorkApi();
        api.MapPermissionApi();
        api.MapMessageApi();
        api.MapIssueApi();
        api.MapConflictApi();
        api.MapKnowledgeApi();
        api.MapEventStream();
        return app;
    }

    private static async Task<IResult> GetHealthAsync(
        DatabaseInitializer database, ServerClock clock, CancellationToken cancellationToken)
    {
        var databaseOk = await database.CanConnectAsync(cancellationToken);
        var health = new HealthReport(databaseOk ? "healthy" : "unhealthy", databaseOk ? "ok" : "unreachable",
            ServerClock.Version, clock.Uptime);
        return databaseOk ? TypedResults.Ok(health) : TypedResults.Json(health, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<ServerStats> GetStatsAsync(
        StatsService stats, McpSessionTracker sessions, ServerClock clock, CancellationToken cancellationToken) =>
        new(await stats.GetAsync(cancellationToken), sessions.ActiveSessions, Rpc.NativeRpcEndpoint.OpenConnections,
            Infrastructure.Transports.TransportCounters.StalledClients, clock.StartedAt, clock.Uptime);

    private static Task<IReadOnlyList<AgentSnapshot>> ListAgentsAsync(
        AgentService agents, string? status, CancellationToken cancellationToken) =>
        agents.ListAsync(AgentStatusFilter.Parse(status), cancellationToken);

    private sealed record HealthReport(string Status, string Database, string Version, TimeSpan Uptime);

    private sealed record ServerStats(
        CoordinationStats Coordination, int McpSessions, int NativeConnections, long StalledClients, DateTimeOffset StartedAt, TimeSpan Uptime);
}
