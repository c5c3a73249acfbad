using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Domain.Workers;

namespace VibeEnsemble.Infrastructure.Persistence.Configurations;

internal sealed class PermissionRequestConfiguration : IEntityTypeConfiguration<PermissionRequest>
{
    public void Configure(EntityTypeBuilder<PermissionRequest> builder)
    {
        builder.ToTable("PermissionRequests");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.ToolName).HasMaxLength(200);
        builder.HasIndex(p => p.State);
        builder.HasOne<Agent>().WithMany().HasForeignKey(p => p.AgentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Worker>().WithMany().HasForeignKey(p => p.WorkerId).OnDelete(DeleteBehavior.SetNull);
    }
}
