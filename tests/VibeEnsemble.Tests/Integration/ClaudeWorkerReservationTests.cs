using System.Text.Json;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>A spawned worker (real Claude Code) holds its task's declared paths while it runs and lets them go when it exits.</summary>
public sealed class ClaudeWorkerReservationTests
{
    [Fact]
    public async Task Worker_ForTaskWithPaths_HoldsThemWhileRunningAndReleasesThemOnExit()
    {
        // Arrange: the model's first answer waits until the test has looked at the reservations, so the worker is
        // certainly running while they are read.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var looked = new ManualResetEventSlim();
        await using var model = await ScriptedModel.StartAsync(request =>
        {
            // Claude Code's side requests (titles and the like) carry no tools and are answered at once.
            if (ScriptedModel.ToolResults(request).Any() || request["tools"] is not System.Text.Json.Nodes.JsonArray { Count: > 0 })
            {
                return ModelTurn.Say("Done.");
            }

            looked.Wait(TestConstants.DefaultTimeout, cancellationToken);
            return ModelTurn.Call("mcp__vibe-ensemble__complete_task", new { result = "API reworked" });
        }, cancellationToken);
        await using var harness = await WorkerHarness.StartAsync(model, cancellationToken);
        await harness.SetUpProjectAsync(cancellationToken);

        // Act
        var created = await harness.CallAsync("create_task", new()
        {
            ["title"] = "Rework the API", ["project"] = "demo", ["paths"] = new[] { "src/api/**", "README.md" },
        }, cancellationToken);
        JsonElement whileRunning = default;
        for (var i = 0; i < 100 && whileRunning.ValueKind != JsonValueKind.Array || whileRunning.GetArrayLength() == 0; i++)
        {
            // Reserved when the worker is spawned, a moment after the task is created: polled for up to 10 s.
            whileRunning = await harness.CallAsync("list_reservations", new(), cancellationToken);
            await Task.Delay(100, cancellationToken);
        }

        looked.Set();
        await harness.WaitForTaskAsync(created.GetProperty("id").GetString()!, "Completed", cancellationToken);
        JsonElement afterExit = default;
        for (var i = 0; i < 50; i++)
        {
            // Released when the worker's run is settled, just after the task completes: polled for up to 5 s.
            afterExit = await harness.CallAsync("list_reservations", new(), cancellationToken);
            if (afterExit.GetArrayLength() == 0)
            {
                break;
            }

            await Task.Delay(100, cancellationToken);
        }

        // Assert
        var held = whileRunning.EnumerateArray().ToList();
        Assert.Equal(["README.md", "src/api/**"], held.Select(r => r.GetProperty("path").GetString()).Order());
        Assert.All(held, r => Assert.Equal("task 'Rework the API'", r.GetProperty("reason").GetString()));
        Assert.All(held, r => Assert.True(r.GetProperty("exclusive").GetBoolean()));
        Assert.Equal(0, afterExit.GetArrayLength());
    }
}
