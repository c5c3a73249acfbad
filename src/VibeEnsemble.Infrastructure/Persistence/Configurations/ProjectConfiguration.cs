using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Projects;

namespace VibeEnsemble.Infrastructure.Persistence.Configurations;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("Projects");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(Project.NameMaxLength).UseCollation("NOCASE");
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.WorkingDirectory).HasMaxLength(4_000);
        builder.Property(p => p.Rules).HasMaxLength(Project.RulesMaxLength);
    }
}
