using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace VibeEnsemble.Infrastructure.Persistence.Writing;

/// <summary>
/// One SQL statement prepared once on the writer's connection, bound by position and read by column number.
/// Microsoft.Data.Sqlite looks every parameter up by name on every execution and allocates a binder for each, which
/// on the task path was a fifth of the writer's time; the hot commands use this instead (ADR-005). Parameters are
/// numbered from 1 in the order they first appear in the SQL. Errors are thrown as <see cref="SqliteException"/>,
/// as Microsoft.Data.Sqlite throws them, so the writer treats them alike.
/// </summary>
public sealed class PreparedStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    internal PreparedStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The writer's connection is not open.");
        Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out var rest));
        if (!string.IsNullOrWhiteSpace(rest))
        {
            _statement.Dispose();
            throw new ArgumentException($"One statement only; this follows it: {rest}", nameof(sql));
        }
    }

    /// <summary>Throws unless the statement's parameters are exactly <paramref name="names"/>, in that order.</summary>
    internal void RequireParameters(ReadOnlySpan<string> names)
    {
        var count = raw.sqlite3_bind_parameter_count(_statement);
        var matches = count == names.Length;
        for (var position = 1; matches && position <= count; position++)
        {
            matches = raw.sqlite3_bind_parameter_name(_statement, position).utf8_to_string() == names[position - 1];
        }

        if (!matches)
        {
            _statement.Dispose();
            throw new ArgumentException(
                $"The statement's parameters are not, in order, {string.Join(", ", names.ToArray())}.", nameof(names));
        }
    }

    public PreparedStatement Bind(int position, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, position, value));
        return this;
    }

    public PreparedStatement Bind(int position, string? value)
    {
        Check(value is null
            ? raw.sqlite3_bind_null(_statement, position)
            : raw.sqlite3_bind_text(_statement, position, value));
        return this;
    }

    public PreparedStatement Bind(int position, long? value) =>
        value is { } number ? Bind(position, number) : Bind(position, (string?)null);

    /// <summary>
    /// An id as EF Core stores a <see cref="Guid"/>: upper-case text, formatted straight into UTF-8 on the stack
    /// (no string to allocate, upper-case and transcode, as <c>ToString().ToUpperInvariant()</c> did on every bind).
    /// </summary>
    public PreparedStatement Bind(int position, Guid value)
    {
        Span<byte> text = stackalloc byte[36];
        value.TryFormat(text, out _, "D");
        Ascii.ToUpperInPlace(text, out _);
        Check(raw.sqlite3_bind_text(_statement, position, text));
        return this;
    }

    public PreparedStatement Bind(int position, Guid? value) =>
        value is { } id ? Bind(position, id) : Bind(position, (string?)null);

    /// <summary>A value of a row as EF Core stores it: text, an id, an integer, or null (<c>null</c> or DBNull).</summary>
    public PreparedStatement Bind(int position, object? value) => value switch
    {
        null or DBNull => Bind(position, (string?)null),
        string text => Bind(position, text),
        Guid id => Bind(position, id),
        long number => Bind(position, number),
        int number => Bind(position, number),
        _ => throw new ArgumentException($"No SQLite storage for a {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>Runs the statement to its end; the number of rows it changed.</summary>
    public int Execute()
    {
        try
        {
            int result;
            while ((result = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            Check(result, raw.SQLITE_DONE);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>
    /// Runs an INSERT to its end; the rowid SQLite gave the row. Cheaper than <c>RETURNING</c>, which SQLite answers by
    /// buffering the returned rows in a temporary table (~6 µs more per row on this machine).
    /// </summary>
    public long ExecuteInsert()
    {
        Execute();
        return raw.sqlite3_last_insert_rowid(_db);
    }

    /// <summary>The first column of the first row as an integer, or null when there is no row or it is null.</summary>
    public long? ScalarInt64()
    {
        using var rows = Query();
        return rows.Read() && !rows.IsNull(0) ? rows.GetInt64(0) : null;
    }

    /// <summary>The first column of the first row as text, or null when there is no row or it is null.</summary>
    public string? ScalarText()
    {
        using var rows = Query();
        return rows.Read() ? rows.GetTextOrNull(0) : null;
    }

    /// <summary>The rows, read one at a time; disposing them makes the statement ready to run again.</summary>
    public Rows Query() => new(this);

    public void Dispose() => _statement.Dispose();

    private void Check(int result, int expected = raw.SQLITE_OK)
    {
        if (result != expected)
        {
            SqliteException.ThrowExceptionForRC(result, _db);
        }
    }

    /// <summary>A statement's rows. A value is valid until the next <see cref="Read"/>.</summary>
    public readonly struct Rows(PreparedStatement owner) : IDisposable
    {
        private readonly sqlite3_stmt _statement = owner._statement;

        public bool Read()
        {
            var result = raw.sqlite3_step(_statement);
            if (result == raw.SQLITE_ROW)
            {
                return true;
            }

            owner.Check(result, raw.SQLITE_DONE);
            return false;
        }

        public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

        public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

        public int GetInt32(int column) => raw.sqlite3_column_int(_statement, column);

        public string GetText(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

        public string? GetTextOrNull(int column) => IsNull(column) ? null : GetText(column);

        /// <summary>An id as EF Core stores a <see cref="Guid"/> (text), parsed without a string between.</summary>
        public Guid GetGuid(int column) => Guid.Parse(raw.sqlite3_column_blob(_statement, column));

        public Guid? GetGuidOrNull(int column) => IsNull(column) ? null : GetGuid(column);

        public void Dispose() => raw.sqlite3_reset(_statement);
    }
}
