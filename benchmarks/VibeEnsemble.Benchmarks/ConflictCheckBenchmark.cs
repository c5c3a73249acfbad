using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Conflicts;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Projects;

namespace VibeEnsemble.Benchmarks;

/// <summary>
/// <c>check_conflicts</c> in process with 10,000 active reservations (a mix of plain paths and globs over 1,000
/// modules), for paths that hit one and paths that hit none. The design promises 1–5 ms; the aim is p99 under 1 ms.
/// </summary>
internal static class ConflictCheckBenchmark
{
    public const int Reservations = 10_000;

    public static async Task<(double P50, double P99)> RunAsync(TimeSpan duration)
    {
        var directory = Path.Combine(Path.GetTempPath(), "vibe-bench", "conflicts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "vibe.db");
        try
        {
            var ef = new DbContextOptionsBuilder<VibeEnsembleDbContext>().UseSqlite(SqliteConnections.ConnectionString(path)).Options;
            await using (var db = new VibeEnsembleDbContext(ef))
            {
                await db.Database.MigrateAsync();
            }

            Fill(path);
            var storage = Options.Create(new StorageOptions { DatabasePath = path, DataDirectory = directory });
            using var writer = new SqliteDurableWriter(storage, Options.Create(new WriterOptions()), ef, NullLogger<SqliteDurableWriter>.Instance);
            var factory = new PooledDbContextFactory<VibeEnsembleDbContext>(ef);
            var reservations = new ReservationService(writer, factory, new ProjectService(writer, factory, TimeProvider.System), new PresenceRegistry(),
                new CoordinationEventBus(), TimeProvider.System);
            string[][] probes = [["src/module42/Parser.cs"], ["docs/none/readme.md"], ["src/module999/**"], ["tests/x.cs", "src/module7/a/b.cs"]];
            var latencies = new List<double>();
            var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            for (var i = 0; Stopwatch.GetTimestamp() < deadline || i < 100; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await reservations.CheckAsync(null, probes[i % probes.Length], null, CancellationToken.None);
                if (i >= 20)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            latencies.Sort();
            return (latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)]);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Writes the reservations (and their holder) straight into a migrated database.</summary>
    internal static void Fill(string path)
    {
        using var connection = new SqliteConnection(SqliteConnections.ConnectionString(path));
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var agent = Guid.CreateVersion7().ToString("D").ToUpperInvariant();
        command.CommandText = """
            INSERT INTO Agents (Id, Name, Capabilities, Specializations, Status, RegisteredAt, LastSeenAt, Metrics_Connections,
                Metrics_Heartbeats, Metrics_TasksCompleted, Metrics_TasksFailed, Metrics_MessagesSent)
            VALUES ($agent, 'holder', '[]', '[]', 'Online', 0, 0, 1, 0, 0, 0, 0)
            """;
        command.Parameters.AddWithValue("$agent", agent);
        command.ExecuteNonQuery();
        command.CommandText = """
            INSERT INTO FileClaims (Id, AgentId, Path, ClaimedAt, Exclusive, ExpiresAt)
            VALUES ($id, $agent, $path, 0, $exclusive, $expires)
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var file = command.Parameters.Add("$path", SqliteType.Text);
        var exclusive = command.Parameters.Add("$exclusive", SqliteType.Integer);
        command.Parameters.AddWithValue("$expires", DateTimeOffset.UtcNow.AddDays(1).UtcTicks);
        for (var i = 0; i < Reservations; i++)
        {
            id.Value = Guid.CreateVersion7().ToString("D").ToUpperInvariant();
            file.Value = i % 10 == 0 ? $"src/module{i / 10}/**" : $"src/module{i / 10}/File{i}.cs";
            exclusive.Value = i % 3 == 0 ? 0 : 1;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
