using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Domain.Issues;
using VibeEnsemble.Domain.Knowledge;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Domain.Projects;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Domain.Workers;

namespace VibeEnsemble.Infrastructure.Persistence;

public sealed class VibeEnsembleDbContext(DbContextOptions<VibeEnsembleDbContext> options) : DbContext(options)
{
    public DbSet<Agent> Agents => Set<Agent>();

    public DbSet<AgentTask> Tasks => Set<AgentTask>();

    public DbSet<TaskAttempt> TaskAttempts => Set<TaskAttempt>();

    public DbSet<Worker> Workers => Set<Worker>();

    public DbSet<WorkerProfile> WorkerProfiles => Set<WorkerProfile>();

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<WorkerOutputLine> WorkerOutput => Set<WorkerOutputLine>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<MessageDelivery> MessageDeliveries => Set<MessageDelivery>();

    public DbSet<KnowledgeEntry> Knowledge => Set<KnowledgeEntry>();

    public DbSet<Issue> Issues => Set<Issue>();

    public DbSet<IssueComment> IssueComments => Set<IssueComment>();

    public DbSet<FileClaim> FileClaims => Set<FileClaim>();

    public DbSet<Conflict> Conflicts => Set<Conflict>();

    public DbSet<PermissionRequest> PermissionRequests => Set<PermissionRequest>();

    public DbSet<PermissionRule> PermissionRules => Set<PermissionRule>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VibeEnsembleDbContext).Assembly);

        // Entities create their own (version 7) Guid ids. Left as "generated on add", EF would take a new child
        // found in a navigation, id already set, for an existing row and update it instead of inserting it.
        foreach (var key in modelBuilder.Model.GetEntityTypes().Select(e => e.FindPrimaryKey()))
        {
            if (key is { Properties: [{ ClrType: var type } property] } && type == typeof(Guid))
            {
                property.ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset natively; stored as sortable UTC ticks instead.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        UnindexedForeignKeys.Use(configurationBuilder);
    }
}
