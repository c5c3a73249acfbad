using Microsoft.Extensions.Options;

namespace VibeEnsemble.Infrastructure.Persistence;

/// <summary>Fills in default paths and makes configured ones absolute.</summary>
internal sealed class StorageOptionsSetup : IPostConfigureOptions<StorageOptions>
{
    public void PostConfigure(string? name, StorageOptions options)
    {
        options.DataDirectory = string.IsNullOrWhiteSpace(options.DataDirectory)
            ? StorageOptions.DefaultDataDirectory
            : Path.GetFullPath(options.DataDirectory);
        options.DatabasePath = string.IsNullOrWhiteSpace(options.DatabasePath)
            ? Path.Combine(options.DataDirectory, "vibe-ensemble.db")
            : Path.GetFullPath(options.DatabasePath);
    }
}

internal sealed class ValidateStorageOptions : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (options.DatabasePath.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(options.DatabasePath))
        {
            errors.Add($"{StorageOptions.SectionName}:DatabasePath ('{options.DatabasePath}') names a folder; give the path of a database file.");
        }

        if (File.Exists(options.DataDirectory))
        {
            errors.Add($"{StorageOptions.SectionName}:DataDirectory ('{options.DataDirectory}') is a file; give a folder.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
