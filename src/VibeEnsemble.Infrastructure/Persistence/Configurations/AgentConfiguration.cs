using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Agents;

namespace VibeEnsemble.Infrastructure.Persistence.Configurations;

internal sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> builder)
    {
        builder.ToTable("Agents");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Name).HasMaxLength(Agent.NameMaxLength).UseCollation("NOCASE");
        builder.HasIndex(a => a.Name).IsUnique();
        builder.PrimitiveCollection(a => a.Capabilities);
        builder.PrimitiveCollection(a => a.Specializations);
        builder.PrimitiveCollection(a => a.Groups);
        // No index on ConnectionId or Status: presence is answered from memory (ADR-005), and every index is one
        // more B-tree each registration and status change has to write.
        builder.Property(a => a.ConnectionId).HasMaxLength(200);
        builder.Property(a => a.Transport).HasMaxLength(16);
        builder.Property(a => a.ClientName).HasMaxLength(200);
        builder.OwnsOne(a => a.Metrics, metrics => metrics.ToTable("Agents"));
    }
}
