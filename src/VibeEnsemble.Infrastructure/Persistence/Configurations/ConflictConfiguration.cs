using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Domain.Projects;
using VibeEnsemble.Domain.Tasks;

namespace VibeEnsemble.Infrastructure.Persistence.Configurations;

internal sealed class FileClaimConfiguration : IEntityTypeConfiguration<FileClaim>
{
    public void Configure(EntityTypeBuilder<FileClaim> builder)
    {
        builder.ToTable("FileClaims");
        builder.HasKey(c => c.Id);
        builder.HasIndex(c => new { c.Path, c.ReleasedAt });
        builder.HasIndex(c => new { c.ProjectId, c.ReleasedAt, c.ExpiresAt });
        builder.Property(c => c.Path).HasMaxLength(FileClaim.PathMaxLength);
        builder.Property(c => c.Reason).HasMaxLength(FileClaim.ReasonMaxLength);
        builder.HasOne<Agent>().WithMany().HasForeignKey(c => c.AgentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AgentTask>().WithMany().HasForeignKey(c => c.TaskId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ConflictConfiguration : IEntityTypeConfiguration<Conflict>
{
    public void Configure(EntityTypeBuilder<Conflict> builder)
    {
        builder.ToTable("Conflicts");
        builder.HasKey(c => c.Id);
        builder.HasIndex(c => new { c.State, c.DetectedAt });
        builder.HasIndex(c => new { c.Key, c.State });
        builder.Property(c => c.Key).HasMaxLength(200);
        builder.Property(c => c.Detail).HasMaxLength(Conflict.DetailMaxLength);
        builder.Property(c => c.Resolution).HasMaxLength(Conflict.ReasonMaxLength);
        builder.Property(c => c.ResolvedBy).HasMaxLength(200);
        builder.PrimitiveCollection(c => c.Files);
        builder.ComplexProperty(c => c.First, side => Side(side));
        builder.ComplexProperty(c => c.Second, side => Side(side));
        builder.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }

    // The sides are kept by value (names and titles as they were), so history survives the agents and tasks.
    private static void Side(ComplexPropertyBuilder<ConflictSide> side)
    {
        side.Property(s => s.AgentName).HasMaxLength(100);
        side.Property(s => s.TaskTitle).HasMaxLength(200);
        side.Property(s => s.Branch).HasMaxLength(200);
    }
}
