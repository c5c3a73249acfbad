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
        builder.PrimitiveCollection(w => w.Arguments);
        builder.HasIndex(w => w.State);
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
