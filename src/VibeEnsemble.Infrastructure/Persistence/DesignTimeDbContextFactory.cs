using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace VibeEnsemble.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the server.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<VibeEnsembleDbContext>
{
    public VibeEnsembleDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<VibeEnsembleDbContext>()
            .UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), "vibe-ensemble-design.db")}")
            .Options);
}
