using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VibeEnsemble.Benchmarks;

/// <summary>
/// The floors every row is compared with, served by a minimal Kestrel app in this process: a raw WebSocket echo, a
/// raw HTTP POST echo, and a minimal JSON-RPC server that commits one SQLite <c>UPDATE</c> per call (one writer, no
/// batching) at <c>synchronous=FULL</c> and at <c>NORMAL</c>: the one-commit-per-call anchors. Beside the echoes, the
/// same two answering every call with <see cref="LargeReply"/> (the server's own <c>tools/list</c> reply): what moving
/// that many bytes costs Kestrel and the client, with no protocol.
/// </summary>
internal sealed class AnchorServers : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;
    private readonly StrongBox<byte[]> _largeReply;

    private AnchorServers(WebApplication app, string directory, int port, StrongBox<byte[]> largeReply)
    {
        _app = app;
        _directory = directory;
        Port = port;
        _largeReply = largeReply;
    }

    public int Port { get; }

    /// <summary>What <c>/reply</c> (WebSocket) and <c>/http-reply</c> answer every call with.</summary>
    public byte[] LargeReply
    {
        get => _largeReply.Value!;
        set => _largeReply.Value = value;
    }

    public static async Task<AnchorServers> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "vibe-bench-anchor", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets();
        var largeReply = new StrongBox<byte[]>([]);
        app.Map("/echo", context => ServeAsync(context, static (frame, _) => frame));
        app.Map("/reply", context => ServeAsync(context, (_, _) => largeReply.Value));
        app.MapPost("/http-reply", context => AnswerPostAsync(context, _ => largeReply.Value));
        app.MapPost("/http-echo", context => AnswerPostAsync(context, static body => body));
        foreach (var mode in new[] { "FULL", "NORMAL" })
        {
            var store = new OneCommitPerCall(Path.Combine(directory, $"anchor-{mode}.db"), mode);
            app.Map($"/rpc-db-{mode.ToLowerInvariant()}", context => ServeAsync(context, store.Handle));
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new AnchorServers(app, directory, new Uri(address).Port, largeReply);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Reads the whole request body, as a server must, and answers with what <paramref name="answer"/> makes of it.</summary>
    private static async Task AnswerPostAsync(HttpContext context, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> answer)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(answer(body.GetBuffer().AsMemory(0, (int)body.Length)));
    }

    private static async Task ServeAsync(HttpContext context, Func<ReadOnlyMemory<byte>, byte[], ReadOnlyMemory<byte>> answer)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[64 * 1024];
        var reply = new byte[1024];
        while (true)
        {
            var received = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(received), CancellationToken.None);
                received += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            await socket.SendAsync(answer(buffer.AsMemory(0, received), reply), WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }

    /// <summary>Parses the JSON-RPC request, commits one UPDATE on the single connection, answers with the id.</summary>
    private sealed class OneCommitPerCall
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _update;
        private readonly Lock _gate = new();

        public OneCommitPerCall(string path, string synchronous)
        {
            _connection = new SqliteConnection($"Data Source={path};Pooling=False");
            _connection.Open();
            using var setup = _connection.CreateCommand();
            // One statement per command: a multi-statement command was seen to skip the INSERT silently.
            foreach (var statement in new[]
            {
                "PRAGMA journal_mode=WAL", $"PRAGMA synchronous={synchronous}", "PRAGMA busy_timeout=5000",
                "CREATE TABLE IF NOT EXISTS agents (id INTEGER PRIMARY KEY, last_seen INTEGER NOT NULL)",
            })
            {
                setup.CommandText = statement;
                setup.ExecuteNonQuery();
            }

            using (var fill = _connection.BeginTransaction())
            {
                setup.Transaction = fill;
                for (var i = 0; i < 1000; i++)
                {
                    setup.CommandText = $"INSERT OR IGNORE INTO agents VALUES ({i}, 0)";
                    setup.ExecuteNonQuery();
                }

                fill.Commit();
            }

            _update = _connection.CreateCommand();
            _update.CommandText = "UPDATE agents SET last_seen = $now WHERE id = $id";
            _update.Parameters.Add("$now", SqliteType.Integer);
            _update.Parameters.Add("$id", SqliteType.Integer);
        }

        public ReadOnlyMemory<byte> Handle(ReadOnlyMemory<byte> frame, byte[] reply)
        {
            using var request = JsonDocument.Parse(frame);
            var id = request.RootElement.GetProperty("id").GetInt64();
            lock (_gate)
            {
                _update.Parameters[0].Value = DateTime.UtcNow.Ticks;
                _update.Parameters[1].Value = id % 1000;
                _update.ExecuteNonQuery();
            }

            return reply.AsMemory(0, System.Text.Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{id}},"result":true}""", reply));
        }
    }
}
