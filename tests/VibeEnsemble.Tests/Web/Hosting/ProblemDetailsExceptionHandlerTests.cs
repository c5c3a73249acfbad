using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Web.Hosting;

namespace VibeEnsemble.Tests.Web.Hosting;

/// <summary>
/// A 500 tells the client to see the server log, so the exception must be there: .NET 10 no longer logs what an
/// exception handler handled. A client's mistake (4xx) is not logged as an error.
/// </summary>
public sealed class ProblemDetailsExceptionHandlerTests
{
    [Fact]
    public async Task TryHandle_UnexpectedException_Is500AndLoggedAsAnErrorWithoutTheQuery()
    {
        // Arrange
        var (handler, logger, context) = Arrange("/api/tasks", "?access_token=secret");
        var failure = new InvalidOperationException("broken invariant");

        // Act
        var handled = await handler.TryHandleAsync(context, failure, TestContext.Current.CancellationToken);

        // Assert
        Assert.True(handled);
        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        var entry = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(failure, entry.Exception);
        Assert.Contains("GET /api/tasks", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryHandle_DomainException_Is400AndNotLogged()
    {
        // Arrange
        var (handler, logger, context) = Arrange("/api/tasks", "");

        // Act
        await handler.TryHandleAsync(context, new DomainException("'title' is required."), TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Empty(logger.Collector.GetSnapshot());
    }

    private static (ProblemDetailsExceptionHandler, FakeLogger<ProblemDetailsExceptionHandler>, DefaultHttpContext) Arrange(string path, string query)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var logger = new FakeLogger<ProblemDetailsExceptionHandler>();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query.Length > 0 ? query : null);
        context.Response.Body = new MemoryStream();
        return (new ProblemDetailsExceptionHandler(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(), logger), logger, context);
    }
}
