using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Issues;

namespace VibeEnsemble.Infrastructure.Persistence.Configurations;

internal sealed class IssueConfiguration : IEntityTypeConfiguration<Issue>
{
    public void Configure(EntityTypeBuilder<Issue> builder)
    {
        builder.ToTable("Issues");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Title).HasMaxLength(200);
        builder.PrimitiveCollection(i => i.Labels);
        builder.HasIndex(i => new { i.State, i.Priority });
        builder.HasIndex(i => i.UpdatedAt);
        builder.HasOne<Domain.Tasks.AgentTask>().WithMany().HasForeignKey(i => i.TaskId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Agent>().WithMany().HasForeignKey(i => i.AssigneeAgentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Agent>().WithMany().HasForeignKey(i => i.ReporterAgentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(i => i.Comments).WithOne().HasForeignKey(c => c.IssueId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(i => i.Comments).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class IssueCommentConfiguration : IEntityTypeConfiguration<IssueComment>
{
    public void Configure(EntityTypeBuilder<IssueComment> builder)
    {
        builder.ToTable("IssueComments");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Author).HasMaxLength(100);
        builder.HasOne<Agent>().WithMany().HasForeignKey(c => c.AuthorAgentId).OnDelete(DeleteBehavior.SetNull);
    }
}
