using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Web.Configuration;

namespace VibeEnsemble.Web.Hosting;

/// <summary>
/// The server's access token: <c>VibeEnsemble:Server:AccessToken</c> when set, else the one generated on first start
/// into <c>&lt;data dir&gt;/access-token</c>, readable by this user only. Never logged.
/// </summary>
internal sealed class AccessTokens(IOptions<ServerOptions> server, IOptions<StorageOptions> storage)
{
    public const string FileName = "access-token";

    private readonly Lazy<byte[]> _token = new(() => Encoding.UTF8.GetBytes(Resolve(server.Value, storage.Value)));

    public string FilePath => Path.Combine(storage.Value.DataDirectory, FileName);

    public bool Configured => !string.IsNullOrEmpty(server.Value.AccessToken);

    public string Value => Encoding.UTF8.GetString(_token.Value);

    public bool Matches(string? presented) =>
        !string.IsNullOrEmpty(presented) && presented.Length <= 1_000
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token.Value);

    private static string Resolve(ServerOptions server, StorageOptions storage)
    {
        if (!string.IsNullOrEmpty(server.AccessToken))
        {
            return server.AccessToken;
        }

        var path = Path.Combine(storage.DataDirectory, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= ServerOptions.AccessTokenMinLength } stored)
        {
            return stored;
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        SecretFile.Write(path, token);
        return token;
    }
}
