using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace VibeEnsemble.Infrastructure.Persistence.Writing;

/// <summary>
/// What a command sees while it runs on the writer: the writer's own connection inside the batch's transaction.
/// Commands run SQL as <see cref="Prepared"/> statements (bound by position) or through an EF Core context on the
/// same connection.
/// </summary>
public sealed class WriteContext : IDisposable
{
    private readonly Dictionary<string, PreparedStatement> _prepared = new(StringComparer.Ordinal);
    private readonly DbContextOptions<VibeEnsembleDbContext> _efOptions;
    private VibeEnsembleDbContext? _db;

    /// <param name="connection">The writer's own connection.</param>
    /// <param name="efOptions">
    /// The application's EF Core options, so that the writer's context shares the model the application built
    /// (options of its own made EF Core build the model again: ~0.5 s of CPU on the first task command and a second
    /// copy in memory); the context is then moved onto <paramref name="connection"/>.
    /// </param>
    internal WriteContext(SqliteConnection connection, DbContextOptions<VibeEnsembleDbContext> efOptions)
    {
        Connection = connection;
        _efOptions = efOptions;
    }

    public SqliteConnection Connection { get; }

    internal SqliteTransaction? Transaction { get; set; }

    /// <summary>
    /// The statement for <paramref name="sql"/>, prepared on first use and kept; bound by position
    /// (<see cref="PreparedStatement"/>). It runs in the batch's transaction, as everything on this
    /// connection does. Given <paramref name="parameterNames"/>, the first use checks that they are the statement's
    /// parameters in their positions, so that a caller binding by position cannot silently bind the wrong one.
    /// </summary>
    public PreparedStatement Prepared(string sql, params ReadOnlySpan<string> parameterNames)
    {
        if (!_prepared.TryGetValue(sql, out var statement))
        {
            statement = new PreparedStatement(Connection, sql);
            if (parameterNames.Length > 0)
            {
                statement.RequireParameters(parameterNames);
            }

            _prepared[sql] = statement;
        }

        return statement;
    }

    /// <summary>
    /// An EF Core context on the writer's connection and transaction, for commands that are not on the hot path.
    /// Its change tracker is cleared after every command, so nothing leaks from one command into the next.
    /// </summary>
    public VibeEnsembleDbContext Db
    {
        get
        {
            if (_db is null)
            {
                _db = new VibeEnsembleDbContext(_efOptions);
                _db.Database.SetDbConnection(Connection);
            }

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
        foreach (var statement in _prepared.Values)
        {
            statement.Dispose();
        }
    }
}
