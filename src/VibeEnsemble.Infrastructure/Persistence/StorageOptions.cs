namespace VibeEnsemble.Infrastructure.Persistence;

/// <summary>Where Vibe Ensemble keeps its data. Bound from <c>VibeEnsemble:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "VibeEnsemble:Storage";

    /// <summary>
    /// Folder for the database and logs. Defaults to <c>VibeEnsemble</c> under the user's local data folder
    /// (<c>~/.local/share</c> on Linux, <c>%LOCALAPPDATA%</c> on Windows).
    /// </summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>Path of the SQLite database file. Defaults to <c>vibe-ensemble.db</c> in <see cref="DataDirectory"/>.</summary>
    public string DatabasePath { get; set; } = "";

    /// <remarks>
    /// Only the path: it is read for every <c>--help</c> and default, also when another folder is chosen, and the
    /// folder is made where data is first written. (Without DoNotVerify .NET answers "" for a folder not there yet.)
    /// </remarks>
    public static string DefaultDataDirectory => Path.Combine(
        Environment.GetFolderPath(
            Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "VibeEnsemble");
}
