using Microsoft.Extensions.Options;

namespace VibeEnsemble.Infrastructure.Persistence;

/// <summary>
/// One serving process per data folder. Two would each keep presence in memory, reset the other's agents to offline
/// at start, and schedule and spawn workers for the same tasks. The lock is <c>server.lock</c> in the folder, opened
/// with <see cref="FileShare.None"/> (an advisory <c>flock</c> on Unix, a sharing lock on Windows): the system drops
/// it when the process ends however it ends, and child processes do not inherit it, so a crashed server's surviving
/// workers do not hold it either. <c>--stdio</c> sessions share the folder with the server by design and take no lock.
/// </summary>
public sealed class DataFolderLock(IOptions<StorageOptions> storage) : IDisposable
{
    public const string FileName = "server.lock";

    private FileStream? _held;

    public void Acquire()
    {
        var path = Path.Combine(storage.Value.DataDirectory, FileName);
        try
        {
            _held ??= new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (File.Exists(path))
        {
            throw new DataFolderInUseException(
                $"Another Vibe Ensemble server is using the data folder {storage.Value.DataDirectory} (it holds {FileName}). Use that one, stop it, or give this one another --data-dir.",
                ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DataFolderException(
                $"The data folder {storage.Value.DataDirectory} cannot be used: {ex.Message} Fix its permissions or choose another with --data-dir.", ex);
        }
    }

    /// <summary>
    /// Whether a server holds the lock of <paramref name="dataDirectory"/> now; for <c>doctor</c>. A lock file this
    /// user may not open throws <see cref="UnauthorizedAccessException"/>, as it would for <see cref="Acquire"/>.
    /// </summary>
    public static bool IsHeld(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        try
        {
            // Open, not create: a folder no server has used is left as it is. Held for an instant only.
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            // Held, if the file is there; a file or folder that is missing is not (doctor reports the folder itself).
            return File.Exists(path);
        }
    }

    public void Dispose() => _held?.Dispose();
}

/// <summary>Another process serves from the same data folder; the message says which folder and what to do.</summary>
public sealed class DataFolderInUseException(string message, Exception inner) : IOException(message, inner);
