using Microsoft.Data.Sqlite;

namespace VibeEnsemble.Infrastructure.Persistence;

/// <summary>How every connection to the database file is opened (ADR-005 has the reasons).</summary>
public static class SqliteConnections
{
    /// <summary>
    /// SQLite itself waits this long for another process's write lock (a <c>--stdio</c> server on the same file)
    /// before answering "busy"; only the writer thread and start-up ever wait on it.
    /// </summary>
    public const int BusyTimeoutMilliseconds = 5_000;

    /// <summary>Pooled connections for readers and EF Core.</summary>
    public static string ConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        ForeignKeys = true,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>The writer's own connection: outside the pool, full durability, a busy timeout inside SQLite.</summary>
    public static SqliteConnection OpenWriter(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            ForeignKeys = true,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var pragma = connection.CreateCommand();
        // One pragma per command, each checked: a multi-statement command was seen to skip statements silently,
        // and durability must never depend on that.
        foreach (var (name, value) in new[] { ("journal_mode", "wal"), ("synchronous", "2"), ("busy_timeout", $"{BusyTimeoutMilliseconds}") })
        {
            pragma.CommandText = $"PRAGMA {name}={value}";
            pragma.ExecuteNonQuery();
            pragma.CommandText = $"PRAGMA {name}";
            var actual = Convert.ToString(pragma.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (!string.Equals(actual, value, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused PRAGMA {name}={value} on {databasePath} (it is {actual}).");
            }
        }

        return connection;
    }
}
