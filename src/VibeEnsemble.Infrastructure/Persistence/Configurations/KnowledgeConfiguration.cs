using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Knowledge;

namespace VibeEnsemble.Infrastructure.Persistence.Configurations;

/// <summary>
/// Knowledge entries. Full-text search is an FTS5 table over title, body and tags kept in sync by triggers (created
/// by the KnowledgeBase migration in SQL, since EF Core has no model for it).
/// </summary>
internal sealed class KnowledgeConfiguration : IEntityTypeConfiguration<KnowledgeEntry>
{
    public const string SearchIdColumn = "SearchId";

    public void Configure(EntityTypeBuilder<KnowledgeEntry> builder)
    {
        builder.ToTable("Knowledge");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Title).HasMaxLength(KnowledgeEntry.TitleMaxLength);
        builder.Property(k => k.Author).HasMaxLength(100);
        builder.PrimitiveCollection(k => k.Tags);
        builder.HasIndex(k => k.Category);
        builder.HasIndex(k => k.ProjectId);
        builder.HasIndex(k => k.UpdatedAt);
        // The full-text index's row id (FTS5 external content needs an integer key). Set by the insert trigger, never by
        // the application, and kept apart from SQLite's own rowid, which a VACUUM may renumber.
        builder.Property<long?>(SearchIdColumn);
        builder.HasIndex(SearchIdColumn).IsUnique();
        builder.HasOne<Agent>().WithMany().HasForeignKey(k => k.AuthorAgentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(k => k.Relations).WithOne().HasForeignKey(r => r.FromEntryId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(k => k.Relations).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(k => k.Versions).WithOne().HasForeignKey(v => v.EntryId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(k => k.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(k => k.Votes).WithOne().HasForeignKey(v => v.EntryId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(k => k.Votes).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class KnowledgeRelationConfiguration : IEntityTypeConfiguration<KnowledgeRelation>
{
    public void Configure(EntityTypeBuilder<KnowledgeRelation> builder)
    {
        builder.ToTable("KnowledgeRelations");
        builder.HasKey(r => new { r.FromEntryId, r.ToEntryId, r.Kind });
        builder.HasOne<KnowledgeEntry>().WithMany().HasForeignKey(r => r.ToEntryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KnowledgeVersionConfiguration : IEntityTypeConfiguration<KnowledgeVersion>
{
    public void Configure(EntityTypeBuilder<KnowledgeVersion> builder)
    {
        builder.ToTable("KnowledgeVersions");
        builder.HasKey(v => v.Id);
        builder.HasIndex(v => new { v.EntryId, v.Number }).IsUnique();
        builder.Property(v => v.Title).HasMaxLength(KnowledgeEntry.TitleMaxLength);
        builder.Property(v => v.EditedBy).HasMaxLength(100);
        builder.PrimitiveCollection(v => v.Tags);
    }
}

internal sealed class KnowledgeVoteConfiguration : IEntityTypeConfiguration<KnowledgeVote>
{
    public void Configure(EntityTypeBuilder<KnowledgeVote> builder)
    {
        builder.ToTable("KnowledgeVotes");
        builder.HasKey(v => new { v.EntryId, v.Voter });
        builder.Property(v => v.Voter).HasMaxLength(100);
    }
}
