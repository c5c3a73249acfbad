using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Domain.Workers;

namespace VibeEnsemble.Infrastructure.Persistence.Configurations;

internal sealed class PermissionRequestConfiguration : IEntityTypeConfiguration<PermissionRequest>
{
    public void Configure(EntityTypeBuilder<PermissionRequest> builder)
    {
        builder.ToTable("PermissionRequests");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.ToolName).HasMaxLength(200);
        builder.Property(p => p.MatchedRule).HasMaxLength(1_200);
        builder.Property(p => p.DecidedBy).HasMaxLength(200);
        builder.Property(p => p.Reason).HasMaxLength(2_000);
        builder.HasIndex(p => p.State);
        builder.HasIndex(p => p.RequestedAt);
        builder.HasIndex(p => p.TaskId);
        builder.HasOne<Agent>().WithMany().HasForeignKey(p => p.AgentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Worker>().WithMany().HasForeignKey(p => p.WorkerId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<AgentTask>().WithMany().HasForeignKey(p => p.TaskId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class PermissionRuleConfiguration : IEntityTypeConfiguration<PermissionRule>
{
    public void Configure(EntityTypeBuilder<PermissionRule> builder)
    {
        builder.ToTable("PermissionRules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ScopeName).HasMaxLength(100).UseCollation("NOCASE");
        builder.Property(r => r.ToolPattern).HasMaxLength(PermissionRule.MaxPatternLength);
        builder.Property(r => r.ArgumentPattern).HasMaxLength(PermissionRule.MaxPatternLength);
        builder.Property(r => r.Note).HasMaxLength(500);
        builder.Property(r => r.UpdatedBy).HasMaxLength(200);
        builder.HasIndex(r => new { r.Scope, r.ScopeName, r.Position });
    }
}
