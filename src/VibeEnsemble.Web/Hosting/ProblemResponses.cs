namespace VibeEnsemble.Web.Hosting;

/// <summary>Refusals written by middleware, in the ProblemDetails shape every other refusal uses.</summary>
internal static class ProblemResponses
{
    public static ValueTask WriteAsync(this IProblemDetailsService problems, HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
