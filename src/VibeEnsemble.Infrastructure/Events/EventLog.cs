using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Events;

/// <summary>One event of the log, with its id (monotonic, never reused).</summary>
public sealed record LoggedEvent(long Id, string Type, string Agents, DateTimeOffset At, string Data);

/// <summary>
/// The ordered, persisted log behind the event stream (<c>/api/events</c>): every coordination event but the
/// high-rate kinds is appended in batches through the writer, gets its id there, and only then goes to live readers,
/// so a reader that resumes from the table and then follows live sees each event once, in order. The newest
/// <see cref="EventLogOptions.Retain"/> are kept.
/// </summary>
public sealed partial class EventLog(
    CoordinationEventBus events, IDurableWriter writer, IOptions<EventLogOptions> options, ILogger<EventLog> logger) : BackgroundService
{
    public const EventKinds Logged = EventKinds.AgentRegistered | EventKinds.AgentOffline | EventKinds.TaskUpdated | EventKinds.WorkerUpdated
        | EventKinds.PermissionRequested | EventKinds.Message | EventKinds.Issue | EventKinds.Knowledge | EventKinds.Reservation | EventKinds.Conflict;

    private readonly Lock _gate = new();

    /// <summary>How an agent id is written in <see cref="LoggedEvent.Agents"/> (comma-separated).</summary>
    public static string AgentKey(Guid agentId) => AgentRow.StoredId(agentId);
    private readonly List<Channel<LoggedEvent>> _readers = [];
    private long _appended;

    /// <summary>
    /// Live events from now on, for one reader. A reader that falls <see cref="EventLogOptions.ReaderBuffer"/> behind
    /// is dropped (its channel completes): it resumes from the table with its last id.
    /// </summary>
    public ChannelReader<LoggedEvent> Follow(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<LoggedEvent>(new BoundedChannelOptions(options.Value.ReaderBuffer) { SingleReader = true });
        lock (_gate)
        {
            _readers.Add(channel);
        }

        cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                _readers.Remove(channel);
            }

            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Room for bursts: an event dropped here would be missing from the stream for good.
        using var subscription = events.Subscribe(Logged, 65_536);
        var reader = subscription.Channel.Reader;
        var batch = new List<(EventEnvelope Envelope, DateTimeOffset At)>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 512 && reader.TryRead(out var next))
                {
                    if (EventEnvelope.From(next) is { } envelope)
                    {
                        batch.Add((envelope, next.At));
                    }
                }

                if (batch.Count > 0)
                {
                    await AppendAsync(batch, stoppingToken);
                    batch.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task AppendAsync(List<(EventEnvelope Envelope, DateTimeOffset At)> batch, CancellationToken cancellationToken)
    {
        try
        {
            var prune = (_appended += batch.Count) % 1_000 < batch.Count;
            var logged = await writer.ExecuteAsync(new AppendEventsCommand([.. batch], prune ? options.Value.Retain : null), cancellationToken);
            lock (_gate)
            {
                foreach (var reader in _readers)
                {
                    foreach (var entry in logged)
                    {
                        if (!reader.Writer.TryWrite(entry))
                        {
                            // Too far behind: it resumes from the table instead of holding memory here.
                            reader.Writer.TryComplete();
                            break;
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAppendFailed(logger, ex, batch.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} events could not be added to the event log; the domain rows hold the changes.")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, int count);
}

/// <summary>Bound from <c>VibeEnsemble:Events</c>.</summary>
public sealed class EventLogOptions
{
    public const string SectionName = "VibeEnsemble:Events";

    /// <summary>How many of the newest events the log keeps for resuming readers.</summary>
    public int Retain { get; set; } = 100_000;

    /// <summary>Events a live reader may fall behind before it is dropped (and resumes from the table).</summary>
    public int ReaderBuffer { get; set; } = 10_000;
}

/// <summary>Appends a batch (ids assigned by SQLite), pruning past the retention now and then.</summary>
internal sealed class AppendEventsCommand(IReadOnlyList<(EventEnvelope Envelope, DateTimeOffset At)> batch, int? retain)
    : IWriteCommand<IReadOnlyList<LoggedEvent>>
{
    public IReadOnlyList<LoggedEvent> Execute(WriteContext context)
    {
        var insert = context.Prepared(
            "INSERT INTO CoordinationEvents (Type, Agents, At, Data) VALUES ($type, $agents, $at, $data)",
            "$type", "$agents", "$at", "$data");
        var logged = new List<LoggedEvent>(batch.Count);
        foreach (var (envelope, at) in batch)
        {
            var agents = string.Join(',', envelope.Agents.Select(AgentRow.StoredId));
            var id = insert.Bind(1, envelope.Type).Bind(2, agents).Bind(3, at.UtcTicks).Bind(4, envelope.Data).ExecuteInsert();
            logged.Add(new LoggedEvent(id, envelope.Type, agents, at, envelope.Data));
        }

        if (retain is { } keep)
        {
            const string Prune = "DELETE FROM CoordinationEvents WHERE Id <= (SELECT MAX(Id) FROM CoordinationEvents) - $keep";
            context.Prepared(Prune, "$keep").Bind(1, keep).Execute();
        }

        return logged;
    }
}
