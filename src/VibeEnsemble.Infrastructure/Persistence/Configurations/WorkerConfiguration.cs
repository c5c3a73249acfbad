using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Domain.Workers;

namespace VibeEnsemble.Infrastructure.Persistence.Configurations;

internal sealed class WorkerConfiguration : IEntityTypeConfiguration<Worker>
{
    public void Configure(EntityTypeBuilder<Worker> builder)
    {
        builder.ToTable("Workers");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Command).HasMaxLength(1_000);
        builder.Property(w => w.ProfileName).HasMaxLength(100);
        builder.Property(w => w.Summary).HasMaxLength(Worker.SummaryMaxLength);
        builder.PrimitiveCollection(w => w.Arguments);
        builder.HasIndex(w => w.State);
        builder.HasIndex(w => w.AttemptId);
        builder.HasOne<AgentTask>().WithMany().HasForeignKey(w => w.TaskId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Agent>().WithMany().HasForeignKey(w => w.AgentId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class WorkerOutputLineConfiguration : IEntityTypeConfiguration<WorkerOutputLine>
{
    public void Configure(EntityTypeBuilder<WorkerOutputLine> builder)
    {
        builder.ToTable("WorkerOutput");
        builder.HasKey(l => l.Id);
        builder.HasIndex(l => new { l.WorkerId, l.Sequence }).IsUnique();
        builder.HasOne<Worker>().WithMany().HasForeignKey(l => l.WorkerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WorkerProfileConfiguration : IEntityTypeConfiguration<WorkerProfile>
{
    public void Configure(EntityTypeBuilder<WorkerProfile> builder)
    {
        builder.ToTable("WorkerProfiles");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(100).UseCollation("NOCASE");
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.SystemPrompt).HasMaxLength(WorkerProfile.PromptMaxLength);
        builder.Property(p => p.PermissionMode).HasMaxLength(32);
        builder.PrimitiveCollection(p => p.Capabilities);
        builder.PrimitiveCollection(p => p.AllowedTools);
        builder.PrimitiveCollection(p => p.DisallowedTools);
    }
}
