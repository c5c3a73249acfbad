using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Stats;
using VibeEnsemble.Infrastructure.Projects;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Tests.Support;
using VibeEnsemble.Web.Configuration;

namespace VibeEnsemble.Tests.Web.Components;

/// <summary>
/// bUnit context with MudBlazor, an interactive renderer and the real application services over a migrated
/// SQLite file, so components are tested against the same code the server runs.
/// </summary>
public abstract class DashboardTestContext : BunitContext
{
    private readonly TempDirectory _data = new();

    protected DashboardTestContext()
    {
        var databasePath = _data.File("vibe-ensemble.db");
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddSingleton(TestDatabase.Options(databasePath));
        Services.AddSingleton(TestDatabase.Factory(databasePath));
        Services.AddSingleton<CoordinationEventBus>();
        Services.AddSingleton(Options.Create(new WriterOptions()));
        Services.AddSingleton<SqliteDurableWriter>();
        Services.AddSingleton<IDurableWriter>(sp => sp.GetRequiredService<SqliteDurableWriter>());
        Services.AddSingleton<PresenceRegistry>();
        Services.AddSingleton<IPresenceRegistry>(sp => sp.GetRequiredService<PresenceRegistry>());
        Services.AddSingleton<AgentService>();
        Services.AddSingleton<StatsService>();
        Services.AddSingleton(Options.Create(new TaskOptions()));
        Services.AddSingleton<TaskService>();
        Services.AddSingleton<ProjectService>();
        Services.AddSingleton<VibeEnsemble.Infrastructure.Workers.ProfileService>();
        Services.AddSingleton<WorkSeekers>();
        Services.AddSingleton(Options.Create(new VibeEnsemble.Infrastructure.Permissions.PermissionOptions()));
        Services.AddSingleton<VibeEnsemble.Infrastructure.Permissions.PermissionRuleService>();
        Services.AddSingleton<VibeEnsemble.Infrastructure.Permissions.PermissionBroker>();
        Services.AddSingleton<VibeEnsemble.Infrastructure.Issues.IssueService>();
        Services.AddSingleton<VibeEnsemble.Infrastructure.Knowledge.KnowledgeService>();
        Services.AddSingleton<VibeEnsemble.Infrastructure.Conflicts.ReservationService>();
        Services.AddSingleton<VibeEnsemble.Infrastructure.Messages.MessageService>();
        Services.AddSingleton<VibeEnsemble.Infrastructure.Workers.WorkerRegistry>();
        Services.AddSingleton(Options.Create(new VibeEnsemble.Infrastructure.Conflicts.ConflictOptions()));
        Services.AddSingleton<VibeEnsemble.Infrastructure.Conflicts.ConflictService>();
        Services.AddSingleton<VibeEnsemble.Web.Hosting.AccessTokens>();
        Services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton(Options.Create(new ServerOptions()));
        Services.AddSingleton(Options.Create(new StorageOptions { DataDirectory = _data.Path, DatabasePath = databasePath }));

        using (var db = TestDatabase.Open(databasePath))
        {
            db.Database.Migrate();
        }

        Services.GetRequiredService<SqliteDurableWriter>().StartAsync(CancellationToken.None).GetAwaiter().GetResult();

        // Both read the service provider, so they come after every registration.
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    protected AgentService Agents => Services.GetRequiredService<AgentService>();

    /// <summary>The input inside the MudBlazor field marked <c>data-testid</c> (or the input so marked).</summary>
    protected static AngleSharp.Dom.IElement InputOf(IRenderedComponent<IComponent> cut, string testId) =>
        cut.Find($"[data-testid={testId}] input, input[data-testid={testId}]");

    protected TaskService Tasks => Services.GetRequiredService<TaskService>();

    protected override async ValueTask DisposeAsyncCore()
    {
        await Services.GetRequiredService<SqliteDurableWriter>().StopAsync(CancellationToken.None);
        await base.DisposeAsyncCore();
        _data.Dispose();
    }
}
