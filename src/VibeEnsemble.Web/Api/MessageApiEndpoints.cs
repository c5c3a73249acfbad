using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Messages;

namespace VibeEnsemble.Web.Api;

/// <summary>Messages over HTTP, as the person: the newest (or those to the person), sending, replying.</summary>
internal static class MessageApiEndpoints
{
    public static RouteGroupBuilder MapMessageApi(this RouteGroupBuilder api)
    {
        api.MapGet("/messages", (MessageService messages, bool? toHuman, int? limit, CancellationToken cancellationToken) =>
            messages.RecentAsync(toHuman ?? false, limit, cancellationToken));
        api.MapPost("/messages", async (MessageService messages, SendMessageRequest? request, CancellationToken cancellationToken) =>
        {
            var sent = await messages.SendAsync(request ?? throw new DomainException("A JSON body with 'to' and 'body' is required."), sender: null, cancellationToken);
            return TypedResults.Created($"/api/messages/{sent.Id}", sent);
        });
        api.MapPost("/messages/{messageId}/reply", (MessageService messages, string messageId, ReplyBody? reply, CancellationToken cancellationToken) =>
            messages.ReplyAsync(MessageIds.Parse(messageId), reply?.Body, sender: null, cancellationToken));
        return api;
    }

    internal sealed record ReplyBody(string? Body);
}
