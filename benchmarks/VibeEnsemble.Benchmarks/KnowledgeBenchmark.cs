using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Knowledge;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Projects;

namespace VibeEnsemble.Benchmarks;

/// <summary>
/// Knowledge search in process over 100,000 entries written through the migration's triggers: synthetic text drawn
/// from a 20,000-word vocabulary with Zipf frequencies (s = 1, as in natural text: the commonest word is in nearly every
/// entry, most words in few). The service's search as callers use it, one connection opened per call, for words from
/// common to rare, two words, and a prefix. Aim: p95 under 2 ms.
/// </summary>
internal static class KnowledgeBenchmark
{
    public const int Entries = 100_000;

    public static async Task<(double P50, double P95, double Seconds)> RunAsync(TimeSpan duration)
    {
        var directory = Path.Combine(Path.GetTempPath(), "vibe-bench", "knowledge-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "vibe.db");
        try
        {
            var ef = new DbContextOptionsBuilder<VibeEnsembleDbContext>().UseSqlite(SqliteConnections.ConnectionString(path)).Options;
            await using (var db = new VibeEnsembleDbContext(ef))
            {
                await db.Database.MigrateAsync();
            }

            var filled = Stopwatch.StartNew();
            Fill(path);
            var fillSeconds = filled.Elapsed.TotalSeconds;

            var storage = Options.Create(new StorageOptions { DatabasePath = path, DataDirectory = directory });
            using var writer = new SqliteDurableWriter(storage, Options.Create(new WriterOptions()), ef, NullLogger<SqliteDurableWriter>.Instance);
            var factory = new PooledDbContextFactory<VibeEnsembleDbContext>(ef);
            var knowledge = new KnowledgeService(writer, factory, storage, new ProjectService(writer, factory, TimeProvider.System),
                new CoordinationEventBus(), TimeProvider.System);
            string[] queries = ["w50", "w7 w99", "w4999", "w12", "w300 w2000", "w1234 w77 w31", "w9"];
            var latencies = new List<double>();
            var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            for (var i = 0; Stopwatch.GetTimestamp() < deadline || i < 200; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await knowledge.SearchAsync(new SearchKnowledgeRequest(queries[i % queries.Length]), CancellationToken.None);
                if (i >= 50)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            latencies.Sort();
            return (latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.95)], fillSeconds);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>100,000 entries in one transaction; the FTS index is kept by the triggers as for any insert.</summary>
    private static void Fill(string path)
    {
        using var connection = new SqliteConnection(SqliteConnections.ConnectionString(path));
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO Knowledge (Id, Title, Body, Tags, Category, Author, Version, UsefulVotes, NotUsefulVotes, CreatedAt, UpdatedAt)
            VALUES ($id, $title, $body, $tags, 'Practice', 'bench', 1, 0, 0, $at, $at)
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var title = insert.Parameters.Add("$title", SqliteType.Text);
        var body = insert.Parameters.Add("$body", SqliteType.Text);
        var tags = insert.Parameters.Add("$tags", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var random = new Random(42);
        const int vocabulary = 20_000;
        var cumulative = new double[vocabulary];
        var sum = 0.0;
        for (var rank = 0; rank < vocabulary; rank++)
        {
            cumulative[rank] = sum += 1.0 / (rank + 1);
        }

        string Word()
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            return $"w{(index < 0 ? ~index : index)}";
        }
        for (var i = 0; i < Entries; i++)
        {
            id.Value = Guid.CreateVersion7().ToString("D").ToUpperInvariant();
            title.Value = string.Join(' ', Enumerable.Range(0, 5).Select(_ => Word()));
            body.Value = string.Join(' ', Enumerable.Range(0, 60).Select(_ => Word()));
            tags.Value = $"[\"{Word()}\",\"{Word()}\"]";
            at.Value = DateTimeOffset.UtcNow.UtcTicks + i;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
