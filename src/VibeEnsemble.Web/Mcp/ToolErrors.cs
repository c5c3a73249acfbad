using ModelContextProtocol;
using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Web.Mcp;

internal static class ToolErrors
{
    /// <summary>
    /// Lets the model read why a call was refused: the SDK hides the message of any exception but
    /// <see cref="McpException"/>, and domain messages are written for the caller.
    /// </summary>
    public static async Task<T> ExplainAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (DomainException ex)
        {
            throw new McpException(ex.Message, ex);
        }
    }
}
