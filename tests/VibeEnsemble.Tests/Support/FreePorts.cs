using System.Net;
using System.Net.Sockets;

namespace VibeEnsemble.Tests.Support;

internal static class FreePorts
{
    /// <summary>Ports the OS just handed out on loopback, released again for a server to take.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
