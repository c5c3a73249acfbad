using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace VibeEnsemble.Infrastructure.Transports.JsonRpc;

/// <summary>Error codes of the native <c>vibe/*</c> API beyond the JSON-RPC standard ones.</summary>
public static class VibeRpcErrorCodes
{
    /// <summary>The named agent, task or other entity does not exist.</summary>
    public const int NotFound = 404;
}

/// <summary>
/// The methods a JSON-RPC endpoint serves, built once per process and shared by every connection, together with
/// the serializer options: type metadata is built once, not once per connection. <typeparamref name="TContext"/>
/// is what a method learns about the connection that called it.
/// </summary>
public sealed class JsonRpcMethods<TContext>
{
    private readonly Dictionary<string, JsonRpcMethod<TContext>> _methods = new(StringComparer.Ordinal);

    /// <summary>camelCase, enums as strings: the shape every <c>vibe/*</c> payload has.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateOptions();

    /// <summary>
    /// Adds a method whose params are one object bound to <typeparamref name="TParams"/> (null when absent, so
    /// the service can say what is missing in its own words).
    /// </summary>
    public JsonRpcMethods<TContext> Add<TParams, TResult>(
        string name, Func<TParams?, TContext, CancellationToken, Task<TResult>> handler)
        where TParams : class
    {
        _methods.Add(name, new JsonRpcMethod<TContext, TParams, TResult>(
            handler,
            (JsonTypeInfo<TParams>)SerializerOptions.GetTypeInfo(typeof(TParams)),
            (JsonTypeInfo<TResult>)SerializerOptions.GetTypeInfo(typeof(TResult))));
        return this;
    }

    internal JsonRpcMethod<TContext>? Find(string name) => _methods.GetValueOrDefault(name);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new JsonStringEnumConverter() },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>One method: binds its params synchronously (while the frame is alive), then runs.</summary>
internal abstract class JsonRpcMethod<TContext>
{
    /// <summary>Reads the params; throws <see cref="JsonException"/> when they do not fit.</summary>
    public abstract object? Bind(JsonElement? parameters);

    /// <summary>Runs the method and writes its result with <paramref name="reply"/>.</summary>
    public abstract Task InvokeAsync(object? parameters, TContext context, JsonRpcReply reply, CancellationToken cancellationToken);
}

internal sealed class JsonRpcMethod<TContext, TParams, TResult>(
    Func<TParams?, TContext, CancellationToken, Task<TResult>> handler,
    JsonTypeInfo<TParams> paramsType,
    JsonTypeInfo<TResult> resultType) : JsonRpcMethod<TContext>
    where TParams : class
{
    public override object? Bind(JsonElement? parameters) => parameters switch
    {
        null => null,
        { ValueKind: JsonValueKind.Array } => throw new JsonException(
            "Params must be one object of named values, e.g. {\"name\": \"worker-1\"}.", "$", null, null),
        { } value => value.Deserialize(paramsType),
    };

    public override async Task InvokeAsync(
        object? parameters, TContext context, JsonRpcReply reply, CancellationToken cancellationToken)
    {
        var result = await handler((TParams?)parameters, context, cancellationToken);
        await reply.ResultAsync(result, resultType, cancellationToken);
    }
}
