using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Domain.Workers;

namespace VibeEnsemble.Infrastructure.Persistence.Configurations;

internal sealed class TaskConfiguration : IEntityTypeConfiguration<AgentTask>
{
    public void Configure(EntityTypeBuilder<AgentTask> builder)
    {
        builder.ToTable("Tasks");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Title).HasMaxLength(AgentTask.TitleMaxLength);
        builder.Property(t => t.WaitingReason).HasMaxLength(TaskAttempt.ReasonMaxLength + 200);
        builder.Property(t => t.Progress).HasMaxLength(AgentTask.ProgressMaxLength);
        // Indexed but not a foreign key: adding one makes SQLite rebuild the table outside a transaction, where a
        // crash would leave the file half-migrated. Creating a task checks its parent exists; tasks are never deleted.
        // Partial: most tasks have no parent, and their NULL entries would all be appended to the same last page, one
        // page more in every commit that creates a task. A lookup by parent (`=`) implies NOT NULL, so SQLite uses it.
        builder.HasIndex(t => t.ParentTaskId).HasFilter("ParentTaskId IS NOT NULL");
        // ProjectId is not indexed: no query reads tasks by project, and projects are never deleted.
        builder.Property(t => t.Branch).HasMaxLength(200);
        builder.PrimitiveCollection(t => t.ChangedFiles);
        builder.PrimitiveCollection(t => t.Paths);
        builder.PrimitiveCollection(t => t.RequiredCapabilities);
        builder.HasIndex(t => new { t.Status, t.Priority });
        // Only tasks waiting for a retry have a NextAttemptAt; the due-retries query (`<= now`) implies NOT NULL.
        builder.HasIndex(t => t.NextAttemptAt).HasFilter("NextAttemptAt IS NOT NULL");
        // Not indexed: nothing looks tasks up by agent, and agents are never deleted. Each agent's entries sit together
        // in such an index, so a batch of commits by many agents dirtied one page per agent per index: a third of
        // the pages a task-cycle commit wrote (ADR-005).
        builder.Property(t => t.AssigneeAgentId).HasNoForeignKeyIndex();
        builder.Property(t => t.CreatedByAgentId).HasNoForeignKeyIndex();
        builder.HasOne<Agent>().WithMany().HasForeignKey(t => t.AssigneeAgentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Agent>().WithMany().HasForeignKey(t => t.CreatedByAgentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(t => t.Dependencies).WithOne().HasForeignKey(d => d.TaskId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(t => t.Dependencies).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(t => t.Attempts).WithOne().HasForeignKey(a => a.TaskId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(t => t.Attempts).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class TaskDependencyConfiguration : IEntityTypeConfiguration<TaskDependency>
{
    public void Configure(EntityTypeBuilder<TaskDependency> builder)
    {
        builder.ToTable("TaskDependencies");
        builder.HasKey(d => new { d.TaskId, d.DependsOnTaskId });
        builder.HasOne<AgentTask>().WithMany().HasForeignKey(d => d.DependsOnTaskId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TaskAttemptConfiguration : IEntityTypeConfiguration<TaskAttempt>
{
    public void Configure(EntityTypeBuilder<TaskAttempt> builder)
    {
        builder.ToTable("TaskAttempts");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => new { a.TaskId, a.Number }).IsUnique();
        builder.Property(a => a.Reason).HasMaxLength(TaskAttempt.ReasonMaxLength);
        // Not indexed, like the agent columns of tasks (above): no query reads attempts by agent or worker, and
        // neither agents nor workers are ever deleted.
        builder.Property(a => a.AgentId).HasNoForeignKeyIndex();
        builder.Property(a => a.WorkerId).HasNoForeignKeyIndex();
        builder.HasOne<Agent>().WithMany().HasForeignKey(a => a.AgentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Worker>().WithMany().HasForeignKey(a => a.WorkerId).OnDelete(DeleteBehavior.SetNull);
    }
}
