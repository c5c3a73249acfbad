namespace VibeEnsemble.Infrastructure.Persistence;

/// <summary>
/// The data folder holds every message, task result and worker transcript, so the folders Vibe Ensemble creates are
/// readable by this user only (as <see cref="SecretFile"/> makes its files). A folder that already exists keeps the
/// mode its owner gave it.
/// </summary>
public static class PrivateFolder
{
    private const UnixFileMode OwnerOnly =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The data folder itself: one that cannot be made is a <see cref="DataFolderException"/> naming it.</summary>
    public static void CreateDataFolder(string path)
    {
        try
        {
            Create(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFolderException(
                $"The data folder {path} cannot be created: {ex.Message} Choose another with --data-dir.", ex);
        }
    }

    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnly);
        }
    }
}

/// <summary>The data folder cannot be made where it is configured; the message says which and what to do.</summary>
public sealed class DataFolderException(string message, Exception inner) : IOException(message, inner);
