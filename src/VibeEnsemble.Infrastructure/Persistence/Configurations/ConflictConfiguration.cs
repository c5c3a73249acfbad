using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Conflicts;
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
        builder.HasIndex(c => c.State);
        builder.HasOne<FileClaim>().WithMany().HasForeignKey(c => c.FirstClaimId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<FileClaim>().WithMany().HasForeignKey(c => c.SecondClaimId).OnDelete(DeleteBehavior.Cascade);
    }
}
