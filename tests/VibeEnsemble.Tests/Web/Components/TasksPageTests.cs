using Bunit;
using TestContext = Xunit.TestContext;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Web.Components.Pages.Tasks;

namespace VibeEnsemble.Tests.Web.Components;

public sealed class TasksPageTests : DashboardTestContext
{
    [Fact]
    public async Task TasksPage_TaskTakenAndCompletedElsewhere_RowFollowsLive()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var task = await Tasks.CreateAsync(new CreateTaskRequest("Write the lexer", RequiredCapabilities: ["rust"]), null, cancellationToken);
        var agent = await Agents.RegisterAsync(new RegisterAgentCommand("rusty", ["rust"]), new("c1", "ws", null), cancellationToken);
        var cut = Render<TasksPage>();
        cut.WaitForAssertion(() => Assert.Equal("Ready", Row(cut).QuerySelector("[data-status]")!.TextContent));

        // Act
        await Tasks.ClaimNextAsync(agent, cancellationToken);
        cut.WaitForAssertion(() => Assert.Equal("Running", Row(cut).QuerySelector("[data-status]")!.TextContent));
        await Tasks.ReportProgressAsync(task.Id, agent, "tokens done", cancellationToken);
        await Tasks.CompleteAsync(task.Id, agent, "merged", cancellationToken);

        // Assert
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Completed", Row(cut).QuerySelector("[data-status]")!.TextContent);
            Assert.Contains("1/3", Row(cut).TextContent);
            Assert.Empty(Row(cut).QuerySelectorAll("[data-action=cancel]"));
        });
    }

    [Fact]
    public async Task CreateForm_BlankTitle_ShowsTheReason_ThenAValidTaskAppears()
    {
        // Arrange
        var cut = Render<TasksPage>();
        cut.WaitForAssertion(() => Assert.Contains("No tasks yet", cut.Markup));
        await cut.Find("[data-testid=new-task]").ClickAsync(new());

        // Act
        await cut.Find("[data-testid=create-task]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("'title' is required.", cut.Find("[data-testid=form-error]").TextContent));
        InputOf(cut, "task-title").Change("Write the parser");
        InputOf(cut, "task-capabilities").Change("rust, sql");
        await cut.Find("[data-testid=create-task]").ClickAsync(new());

        // Assert
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Write the parser", Row(cut).TextContent);
            Assert.Contains("rust, sql", Row(cut).TextContent);
            Assert.Empty(cut.FindAll("[data-testid=create-form]"));
        });
        var stored = Assert.Single(await Tasks.ListAsync(null, null, TestContext.Current.CancellationToken));
        Assert.Equal(["rust", "sql"], stored.RequiredCapabilities);
    }

    [Fact]
    public async Task CancelThenRetry_FromTheRow_ChangesTheStoredTask()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var task = await Tasks.CreateAsync(new CreateTaskRequest("Maybe later"), null, cancellationToken);
        var cut = Render<TasksPage>();
        cut.WaitForAssertion(() => Assert.Single(Row(cut).QuerySelectorAll("[data-action=cancel]")));

        // Act
        await cut.Find("[data-action=cancel]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("Cancelled", Row(cut).QuerySelector("[data-status]")!.TextContent));
        await cut.Find("[data-action=retry]").ClickAsync(new());

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Ready", Row(cut).QuerySelector("[data-status]")!.TextContent));
        Assert.Equal("Ready", (await Tasks.GetAsync(task.Id, cancellationToken)).Task.Status.ToString());
    }

    [Fact]
    public async Task Overview_TasksCreated_OpenTaskCounterCatchesUpAtTheNextRefresh()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var cut = Render<VibeEnsemble.Web.Components.Pages.Overview.OverviewPage>();
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=counter-tasks-open]").TextContent));

        // Act
        await Tasks.CreateAsync(new CreateTaskRequest("One"), null, cancellationToken);
        await Tasks.CreateAsync(new CreateTaskRequest("Two"), null, cancellationToken);
        Time.Advance(TimeSpan.FromSeconds(2));

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=counter-tasks-open]").TextContent));
    }

    /// <summary>MudBlazor puts extra attributes on the input itself or on its wrapper, depending on the component.</summary>
    [Fact]
    public async Task TitleHeader_Clicked_SortsTheRowsByTitle()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        await Tasks.CreateAsync(new CreateTaskRequest("Bravo"), null, cancellationToken);
        await Tasks.CreateAsync(new CreateTaskRequest("Alpha"), null, cancellationToken);
        await Tasks.CreateAsync(new CreateTaskRequest("Charlie"), null, cancellationToken);
        var cut = Render<TasksPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tr.task-row").Count));

        // Act
        await cut.FindAll(".mud-table-sort-label")[0].ClickAsync(new());

        // Assert
        cut.WaitForAssertion(() => Assert.Equal(["Alpha", "Bravo", "Charlie"],
            cut.FindAll("tr.task-row").Select(r => r.QuerySelector("td")!.TextContent.Trim())));
    }

    private static AngleSharp.Dom.IElement InputOf(IRenderedComponent<TasksPage> cut, string testId)
    {
        var element = cut.Find($"[data-testid={testId}]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<TasksPage> cut) => Assert.Single(cut.FindAll("tr.task-row"));
}
