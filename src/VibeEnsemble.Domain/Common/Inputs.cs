namespace VibeEnsemble.Domain.Common;

/// <summary>
/// Reads ids and names as callers write them (tool arguments, <c>vibe/*</c> params, query strings), refusing anything
/// else with a <see cref="DomainException"/> that names the field and what it takes. One place, so every surface
/// answers a wrong value the same way.
/// </summary>
public static class Inputs
{
    private const string ExampleId = "0196f2a6-61b5-7c1e-9a3e-5b0d1c2e3f40";

    /// <summary>
    /// An entity id. <paramref name="what"/> names it ("a task id"); <paramref name="whereFrom"/> says where a caller
    /// finds one ("the task's id as returned by create_task or list_tasks").
    /// </summary>
    public static Guid Id(string? value, string field, string what, string whereFrom) =>
        Guid.TryParse(value?.Trim(), out var id) ? id
        : throw new DomainException(string.IsNullOrWhiteSpace(value)
            ? $"'{field}' is required: {whereFrom}."
            : $"'{field}' must be {what} such as {ExampleId}; got '{Shorten(value, 60)}'.");

    /// <summary>
    /// An enum value by name, any case; null for a blank value. Numbers are refused even where the enum would take
    /// them: callers write names, and a number that happens to be defined would mean something by accident.
    /// </summary>
    public static T? Enum<T>(string? value, string field, string expected)
        where T : struct, System.Enum =>
        string.IsNullOrWhiteSpace(value) ? null
        : System.Enum.TryParse<T>(value.Trim(), ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !value.Trim().All(char.IsAsciiDigit)
            ? parsed
            : throw new DomainException($"'{field}' must be {expected}, not '{Shorten(value, 40)}'.");

    /// <summary>A caller's text quoted back in a message: at most <paramref name="max"/> characters.</summary>
    public static string Shorten(string value, int max) => value.Length <= max ? value : value[..max] + "…";
}
