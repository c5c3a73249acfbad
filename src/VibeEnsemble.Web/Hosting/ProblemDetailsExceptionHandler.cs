using Microsoft.AspNetCore.Diagnostics;
using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Web.Hosting;

/// <summary>
/// Maps exceptions escaping an HTTP endpoint to ProblemDetails; domain errors become 4xx. An unexpected one is logged
/// here: since .NET 10 the exception handler middleware no longer logs what an <see cref="IExceptionHandler"/> handled,
/// so without this a 500 that says "see the server log" left nothing there. (Its <c>SuppressDiagnosticsCallback</c>
/// would bring the old logging back for every handled exception, each client mistake logged as an error too.)
/// </summary>
internal sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            EntityNotFoundException notFound => (StatusCodes.Status404NotFound, "Not found", notFound.Message),
            StateConflictException conflict => (StatusCodes.Status409Conflict, "Conflict", conflict.Message),
            DomainException domain => (StatusCodes.Status400BadRequest, "Invalid request", domain.Message),
            BadHttpRequestException bad => (bad.StatusCode, "Invalid request", bad.Message),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "An unexpected error occurred; see the server log."),
        };

        if (status == StatusCodes.Status500InternalServerError)
        {
            LogUnexpected(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    // The path without its query: a query may carry the access token.
    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error answering {Method} {Path}; the client was sent a 500.")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception exception);
}
