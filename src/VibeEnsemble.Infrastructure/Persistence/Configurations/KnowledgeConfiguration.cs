using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Knowledge;

namespace VibeEnsemble.Infrastructure.Persistence.Configurations;

internal sealed class KnowledgeConfiguration : IEntityTypeConfiguration<KnowledgeEntry>
{
    public void Configure(EntityTypeBuilder<KnowledgeEntry> builder)
    {
        builder.ToTable("Knowledge");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Title).HasMaxLength(200);
        builder.Property(k => k.Category).HasMaxLength(100);
        builder.PrimitiveCollection(k => k.Tags);
        builder.HasIndex(k => k.Category);
        builder.HasOne<Agent>().WithMany().HasForeignKey(k => k.AuthorAgentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(k => k.Relations).WithOne().HasForeignKey(r => r.FromEntryId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(k => k.Relations).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class KnowledgeRelationConfiguration : IEntityTypeConfiguration<KnowledgeRelation>
{
    public void Configure(EntityTypeBuilder<KnowledgeRelation> builder)
    {
        builder.ToTable("KnowledgeRelations");
        builder.HasKey(r => new { r.FromEntryId, r.ToEntryId, r.Kind });
        builder.Property(r => r.Kind).HasMaxLength(50);
        builder.HasOne<KnowledgeEntry>().WithMany().HasForeignKey(r => r.ToEntryId).OnDelete(DeleteBehavior.Cascade);
    }
}
