using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Domain.Issues;
using VibeEnsemble.Domain.Knowledge;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>The database is the source of truth: a crash and a restart lose nothing.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Restart_AfterCrash_KeepsAgentsAsOfflineAndEveryRecord()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var server = await ServerProcess.StartAsync(data.Path, cancellationToken);
        AgentDto coordinator, worker;
        await using (var rpc = await NativeRpcClient.ConnectAsync(server.AgentWebSocketUrl, cancellationToken))
        {
            coordinator = await rpc.RegisterAsync("coordinator", ["planning"], cancellationToken);
            worker = await rpc.RegisterAsync("worker-1", ["csharp", "testing"], cancellationToken);
            // Rows of every other kind, written while the server runs, as later features will write them.
            await SeedEverythingAsync(TestDatabase.PathIn(data.Path), coordinator.Id, worker.Id, cancellationToken);

            // Act: the process dies with the connection still open.
            await server.KillAsync();
        }

        await server.DisposeAsync();
        await using var restarted = await ServerProcess.StartAsync(data.Path, cancellationToken);

        // Assert
        var agents = await restarted.GetJsonAsync<AgentDto[]>("/api/agents", cancellationToken);
        Assert.Equal(["coordinator", "worker-1"], agents!.Select(a => a.Name));
        Assert.All(agents!, a => Assert.Equal("Offline", a.Status));
        Assert.Equal(coordinator.Id, agents![0].Id);
        Assert.Equal(["csharp", "testing"], agents[1].Capabilities);
        Assert.Equal(worker.RegisteredAt, agents[1].RegisteredAt);

        await using var db = TestDatabase.Open(TestDatabase.PathIn(data.Path));
        var task = await db.Tasks.Include(t => t.Attempts).SingleAsync(cancellationToken);
        Assert.Equal("Write the parser", task.Title);
        Assert.Equal(["csharp"], task.RequiredCapabilities);
        Assert.Single(task.Attempts);
        Assert.Equal(["parsing", "gotchas"], (await db.Knowledge.SingleAsync(cancellationToken)).Tags);
        Assert.Single((await db.Issues.Include(i => i.Comments).SingleAsync(cancellationToken)).Comments);
        Assert.Equal(2, (await db.Messages.Include(m => m.Deliveries).SingleAsync(cancellationToken)).Deliveries.Count);
        // The worker that was starting when the server died is settled at the restart, and its task is retried.
        Assert.Equal("Stopped", (await db.Workers.SingleAsync(cancellationToken)).State.ToString());
        Assert.Equal(AttemptOutcome.Interrupted, task.Attempts.Single().Outcome);
        Assert.Equal("booting", (await db.WorkerOutput.SingleAsync(cancellationToken)).Text);
        Assert.Equal(2, await db.FileClaims.CountAsync(cancellationToken));
        var conflict = await db.Conflicts.SingleAsync(cancellationToken);
        Assert.Equal(("coordinator", "vibe/1234abcd"), (conflict.First.AgentName, conflict.Second.Branch));
        Assert.Equal(["src/Parser.cs"], conflict.Files);
        Assert.Equal("Bash", (await db.PermissionRequests.SingleAsync(cancellationToken)).ToolName);
    }

    private static async Task SeedEverythingAsync(
        string databasePath, Guid coordinatorId, Guid workerId, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = TestDatabase.Open(databasePath);
        var task = AgentTask.Create("Write the parser", "Tokens first.", ["csharp"], Priority.High, coordinatorId, now);
        var attempt = task.Claim(workerId, Guid.CreateVersion7(now), now);
        var worker = Worker.Create(attempt.WorkerId!.Value, "default", "claude", ["-p", "Write the parser"], "/tmp", task.Id, attempt.Id, workerId, now);
        db.Tasks.Add(task);
        db.Workers.Add(worker);
        db.WorkerOutput.Add(new WorkerOutputLine(worker.Id, 1, OutputStream.StandardOutput, "booting", now));
        var issue = Issue.Open("Flaky build", "Happens on CI only.", Priority.Normal, workerId, now);
        issue.Comment(coordinatorId, "coordinator", "Looking into it.", now);
        db.Issues.Add(issue);
        db.Knowledge.Add(KnowledgeEntry.Create("Parser pitfalls", "Mind the BOM.", ["parsing", "gotchas"], KnowledgeCategory.Pattern, workerId, "worker", null, now));
        db.Messages.Add(Message.Broadcast(new MessageDraft(coordinatorId, "coordinator", null, "Stand-up in 5."), [coordinatorId, workerId], now));
        var first = FileClaim.Create(coordinatorId, task.Id, "src/Parser.cs", now);
        var second = FileClaim.Create(workerId, task.Id, "src/Parser.cs", now);
        db.FileClaims.AddRange(first, second);
        db.Conflicts.Add(Conflict.Detect(null, ConflictKind.Overlap, new ConflictSide(coordinatorId, "coordinator", task.Id, task.Title, null),
            new ConflictSide(workerId, "worker", null, null, "vibe/1234abcd"), ConflictSeverity.High, ["src/Parser.cs"], "both changed line 3", now));
        db.PermissionRequests.Add(PermissionRequest.Create(workerId, worker.Id, task.Id, "Bash", """{"command":"ls"}""", null, now));
        await db.SaveChangesAsync(cancellationToken);
    }
}
