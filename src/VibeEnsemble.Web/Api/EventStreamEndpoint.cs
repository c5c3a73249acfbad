using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Web.Api;

/// <summary>
/// <c>GET /api/events</c>: the event log as Server-Sent Events. Filters: <c>types</c> (comma-separated) and
/// <c>agent</c> (a name: events concerning that agent). <c>Last-Event-ID</c> (or <c>?after=</c>) resumes after that
/// id, replayed from the log and then followed live with nothing missed and nothing repeated; without it the stream
/// starts now. A comment every 15 s keeps proxies from closing it.
/// </summary>
internal static class EventStreamEndpoint
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private const int ReplayPage = 500;

    public static RouteGroupBuilder MapEventStream(this RouteGroupBuilder api)
    {
        api.MapGet("/events", StreamAsync);
        return api;
    }

    private static async Task StreamAsync(
        HttpContext context, EventLog log, AgentService agents, IOptions<StorageOptions> storage, string? types, string? agent, long? after,
        CancellationToken cancellationToken)
    {
        var wanted = ParseTypes(types);
        Guid? agentId = string.IsNullOrWhiteSpace(agent) ? null
            : (await agents.FindAsync(agent.Trim(), cancellationToken) ?? throw new EntityNotFoundException("Agent", agent.Trim())).Id;
        var resumeAfter = context.Request.Headers["Last-Event-ID"].FirstOrDefault() is { Length: > 0 } header
            ? long.TryParse(header, out var id) && id >= 0 ? id : throw new DomainException("'Last-Event-ID' must be an event id (a whole number).")
            : after is < 0 ? throw new DomainException("'after' must be an event id (0 or more).") : after;
        var agentKey = agentId is { } a ? EventLog.AgentKey(a) : null;
        bool Matches(LoggedEvent e) => (wanted is null || wanted.Contains(e.Type)) && (agentKey is null || e.Agents.Contains(agentKey, StringComparison.Ordinal));

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        // Following first, then reading the table: an event logged in between is in one or the other (or both, and
        // then skipped by id), never in neither.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var live = log.Follow(stop.Token);
        var body = context.Response.Body;
        await body.WriteAsync("retry: 2000\n\n"u8.ToArray(), cancellationToken);
        var last = resumeAfter is { } from
            ? await ReplayAsync(storage.Value.DatabasePath, from, Matches, body, cancellationToken)
            : await LatestIdAsync(storage.Value.DatabasePath, cancellationToken);
        await body.FlushAsync(cancellationToken);

        while (!cancellationToken.IsCancellationRequested)
        {
            bool more;
            try
            {
                more = await live.WaitToReadAsync(cancellationToken).AsTask().WaitAsync(KeepAlive, cancellationToken);
            }
            catch (TimeoutException)
            {
                await body.WriteAsync(": keep-alive\n\n"u8.ToArray(), cancellationToken);
                await body.FlushAsync(cancellationToken);
                continue;
            }

            if (!more)
            {
                // Dropped for falling behind: the client reconnects with Last-Event-ID and resumes from the table.
                return;
            }

            while (live.TryRead(out var logged))
            {
                if (logged.Id > last && Matches(logged))
                {
                    await WriteAsync(body, logged, cancellationToken);
                }

                last = Math.Max(last, logged.Id);
            }

            await body.FlushAsync(cancellationToken);
        }
    }

    private static HashSet<string>? ParseTypes(string? types)
    {
        if (string.IsNullOrWhiteSpace(types))
        {
            return null;
        }

        var wanted = types.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Take(50).ToHashSet(StringComparer.Ordinal);
        var unknown = wanted.FirstOrDefault(t => !EventEnvelope.Types.Contains(t));
        return unknown is null ? wanted
            : throw new DomainException($"'types' has '{Inputs.Shorten(unknown, 40)}', which is not an event type; use {string.Join(", ", EventEnvelope.Types.Order())}.");
    }

    /// <summary>Writes every logged event after <paramref name="from"/> that matches; returns the last id read.</summary>
    private static async Task<long> ReplayAsync(string databasePath, long from, Func<LoggedEvent, bool> matches, Stream body, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(SqliteConnections.ConnectionString(databasePath));
        await connection.OpenAsync(cancellationToken);
        var last = from;
        while (true)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Id, Type, Agents, At, Data FROM CoordinationEvents WHERE Id > $after ORDER BY Id LIMIT $page";
            command.Parameters.AddWithValue("$after", last);
            command.Parameters.AddWithValue("$page", ReplayPage);
            var read = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    read++;
                    var logged = new LoggedEvent(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? "" : reader.GetString(2),
                        new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero), reader.GetString(4));
                    last = logged.Id;
                    if (matches(logged))
                    {
                        await WriteAsync(body, logged, cancellationToken);
                    }
                }
            }

            if (read < ReplayPage)
            {
                return last;
            }
        }
    }

    private static async Task<long> LatestIdAsync(string databasePath, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(SqliteConnections.ConnectionString(databasePath));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(Id), 0) FROM CoordinationEvents";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task WriteAsync(Stream body, LoggedEvent logged, CancellationToken cancellationToken)
    {
        // Data is one line of JSON, so it needs no splitting into several data: lines.
        var frame = $"id: {logged.Id}\nevent: {logged.Type}\ndata: {logged.Data}\n\n";
        await body.WriteAsync(Encoding.UTF8.GetBytes(frame), cancellationToken);
    }
}
