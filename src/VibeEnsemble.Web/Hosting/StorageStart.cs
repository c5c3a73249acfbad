using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Web.Hosting;

/// <summary>
/// What a start does to its storage before the host runs: the data folder made (private), held by this server (not
/// by a <c>--stdio</c> session, which shares it) and the database migrated. Done here rather than in the host's start,
/// so that a folder or a file that cannot be used is one line from <c>ServeCommand</c> instead of the host's "failed
/// to start" with a stack trace.
/// </summary>
internal static class StorageStart
{
    public static async Task PrepareAsync(IServiceProvider services, bool serving)
    {
        PrivateFolder.CreateDataFolder(services.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory);
        if (serving)
        {
            services.GetRequiredService<DataFolderLock>().Acquire();
        }

        // A migration is not cancelled half-way; Ctrl+C is honoured once the host runs.
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
    }
}
