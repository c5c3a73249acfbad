using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Tests.Support;

/// <summary>Direct access to a server's SQLite file, the way an operator's tools would see it.</summary>
internal static class TestDatabase
{
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "vibe-ensemble.db");

    public static DbContextOptions<VibeEnsembleDbContext> Options(string databasePath) =>
        new DbContextOptionsBuilder<VibeEnsembleDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = databasePath, ForeignKeys = true, DefaultTimeout = 30 }.ToString())
            .Options;

    public static VibeEnsembleDbContext Open(string databasePath) => new(Options(databasePath));

    /// <summary>A factory as the application uses it, over a file.</summary>
    public static IDbContextFactory<VibeEnsembleDbContext> Factory(string databasePath) => new Factory_(Options(databasePath));

    private sealed class Factory_(DbContextOptions<VibeEnsembleDbContext> options) : IDbContextFactory<VibeEnsembleDbContext>
    {
        public VibeEnsembleDbContext CreateDbContext() => new(options);
    }
}
