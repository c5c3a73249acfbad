using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace VibeEnsemble.Infrastructure.Persistence.Writing;

/// <summary>
/// What a command sees while it runs on the writer: the writer's own connection inside the batch's transaction.
/// Hot commands use cached, prepared SQL statements; the rest may use an EF Core context on the same connection.
/// </summary>
public sealed class WriteContext : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private readonly DbContextOptions<VibeEnsembleDbContext> _efOptions;
    private VibeEnsembleDbContext? _db;

    internal WriteContext(SqliteConnection connection)
    {
        Connection = connection;
        _efOptions = new DbContextOptionsBuilder<VibeEnsembleDbContext>().UseSqlite(connection).Options;
    }

    public SqliteConnection Connection { get; }

    internal SqliteTransaction? Transaction { get; set; }

    /// <summary>
    /// A statement for <paramref name="sql"/>, prepared once and reused with its parameters: on first use one
    /// parameter per name in <paramref name="parameterNames"/> is created, and the caller sets their values by
    /// position each time.
    /// </summary>
    public SqliteCommand Statement(string sql, params ReadOnlySpan<string> parameterNames)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameterNames)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _statements[sql] = command;
        }

        command.Transaction = Transaction;
        return command;
    }

    /// <summary>
    /// An EF Core context on the writer's connection and transaction, for commands that are not on the hot path.
    /// Its change tracker is cleared after every command, so nothing leaks from one command into the next.
    /// </summary>
    public VibeEnsembleDbContext Db
    {
        get
        {
            _db ??= new VibeEnsembleDbContext(_efOptions);
            if (_db.Database.CurrentTransaction?.GetDbTransaction() != Transaction)
            {
                _db.Database.UseTransaction(Transaction);
            }

            return _db;
        }
    }

    internal void AfterCommand() => _db?.ChangeTracker.Clear();

    internal void AfterBatch()
    {
        if (_db is not null)
        {
            _db.Database.UseTransaction(null);
        }

        Transaction = null;
    }

    public void Dispose()
    {
        _db?.Dispose();
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }
    }
}
