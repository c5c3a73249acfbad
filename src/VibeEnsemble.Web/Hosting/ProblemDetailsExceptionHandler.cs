using Microsoft.AspNetCore.Diagnostics;
using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Web.Hosting;

/// <summary>Maps exceptions escaping an HTTP endpoint to ProblemDetails; domain errors become 4xx.</summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
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

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
