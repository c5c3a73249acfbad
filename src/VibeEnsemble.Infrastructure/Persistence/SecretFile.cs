using System.Text;

namespace VibeEnsemble.Infrastructure.Persistence;

/// <summary>A file holding a secret (an access token, a worker's MCP config): created readable by this user only.</summary>
public static class SecretFile
{
    public static void Write(string path, string content)
    {
        PrivateFolder.Create(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, new UTF8Encoding(false), options);
        writer.Write(content);
    }
}
