using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Conversations;

/// <summary>A visitor's message (hub <c>SendMessage</c>).</summary>
/// <param name="ConversationId">The visitor's conversation, or null for "my current one" (created on the first message).</param>
/// <param name="ClientMessageId">Chosen by the client; resending with the same id stores nothing new and returns the first ack.</param>
/// <param name="Text">Up to 4,000 characters; may be empty when an attachment is sent.</param>
/// <param name="AttachmentId">A file uploaded before by this visitor.</param>
public sealed record VisitorSendMessage(Guid? ConversationId, string ClientMessageId, string? Text, Guid? AttachmentId);

/// <summary>An agent's message (hub <c>SendMessage</c>, <c>POST /api/v1/conversations/{id}/messages</c>).</summary>
/// <param name="ClientMessageId">Chosen by the client; resending with the same id stores nothing new and returns the first ack.</param>
/// <param name="Text">Up to 4,000 characters; may be empty when an attachment is sent.</param>
/// <param name="AttachmentId">A file uploaded before by this agent.</param>
public sealed record AgentSendMessage(string ClientMessageId, string? Text, Guid? AttachmentId);

/// <summary>Checks a message at the edge and hands it to the group-commit writer; returns after commit.</summary>
internal sealed class SendMessage(MessageWriter writer, ConversationDirectory directory, MessageRateLimit limits, ConversationAccess access) : IInboundMessages
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/messages", async Task<Results<Created<SendMessageResult>, Ok<SendMessageResult>, ProblemHttpResult>> (
                Guid id, AgentSendMessage request, HttpContext http, SendMessage handler, CancellationToken ct) =>
            {
                var (result, error) = await handler.AgentAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is not null ? KefuProblems.Problem(error, http.Response)
                    : result!.Duplicate ? TypedResults.Ok(result)
                    : TypedResults.Created($"/api/v1/conversations/{id}/messages?afterSeq={result.Seq - 1}&limit=1", result);
            })
            .WithName("SendMessage")
            .WithTags("Conversations");

    /// <param name="originConnectionId">The sending hub connection: it has the ack, so the realtime echo skips it.</param>
    public async Task<(SendMessageResult?, KefuError?)> VisitorAsync(
        VisitorIdentity visitor, VisitorSendMessage request, CancellationToken cancellationToken, string? originConnectionId = null)
    {
        var (text, error) = Check(request.ClientMessageId, request.Text, request.AttachmentId);
        if (error is not null)
        {
            return (null, error);
        }

        if (request.ConversationId is { } id)
        {
            if (await directory.FindForVisitorAsync(visitor, id, cancellationToken) is null)
            {
                return (null, ConversationErrors.ConversationNotFound);
            }
        }

        // Browser visitors only: messages that arrive through other channels are the channel's to pace.
        if (limits.TryVisitor(visitor.ContactId) is { } wait)
        {
            return (null, KefuError.RateLimited(wait));
        }

        return await FromContactAsync(
            new InboundMessage(visitor.TenantId, visitor.InboxId, visitor.ContactId, request.ClientMessageId, text, request.AttachmentId), originConnectionId, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<(SendMessageResult? Result, KefuError? Error)> ReceiveAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var (text, error) = Check(message.ClientMessageId, message.Text, message.AttachmentId);
        return error is not null ? (null, error) : await FromContactAsync(message with { Text = text }, null, cancellationToken);
    }

    private Task<(SendMessageResult?, KefuError?)> FromContactAsync(InboundMessage message, string? originConnectionId, CancellationToken cancellationToken)
    {
        // A customer always writes into their current conversation of the inbox: that keeps a retry after the
        // conversation was reopened or replaced pointing at the same place.
        var write = new MessageWrite(message.TenantId, message.InboxId, message.ContactId, null, message.ClientMessageId,
            SenderType.Visitor, message.ContactId, null, message.Text!, message.AttachmentId, OriginConnectionId: originConnectionId);
        return WriteAsync(write, cancellationToken);
    }

    public async Task<(SendMessageResult?, KefuError?)> AgentAsync(AgentIdentity agent, Guid conversationId, AgentSendMessage request, CancellationToken cancellationToken)
    {
        var (text, error) = Check(request.ClientMessageId, request.Text, request.AttachmentId);
        if (error is not null)
        {
            return (null, error);
        }

        var owner = await directory.FindAsync(conversationId, cancellationToken);
        if (owner is null || owner.TenantId != agent.TenantId)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        if (await access.CheckAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        if (limits.TryAgent(agent.UserId) is { } wait)
        {
            return (null, KefuError.RateLimited(wait));
        }

        var write = new MessageWrite(owner.TenantId, owner.InboxId, owner.ContactId, owner.Id, request.ClientMessageId,
            SenderType.Agent, agent.UserId, agent.DisplayName, text!, request.AttachmentId);
        return await WriteAsync(write, cancellationToken);
    }

    private async Task<(SendMessageResult?, KefuError?)> WriteAsync(MessageWrite write, CancellationToken cancellationToken)
    {
        try
        {
            return Unwrap(await writer.WriteAsync(write, cancellationToken));
        }
        catch (Exception ex) when (DatabaseFailure.IsTransient(ex))
        {
            // A database restart or failover: answer at once with a typed error the client resends on (same client id,
            // so a commit whose ack was lost is not stored twice), rather than an untyped hub failure.
            return (null, KefuError.ServiceUnavailable);
        }
    }

    private static (string?, KefuError?) Check(string? clientMessageId, string? text, Guid? attachmentId) =>
        MessageInput.IsValidClientMessageId(clientMessageId)
            ? MessageInput.CleanText(text, attachmentId is not null)
            : (null, ConversationErrors.InvalidClientMessageId);

    private static (SendMessageResult?, KefuError?) Unwrap((MessageWritten? Written, KefuError? Error) outcome) =>
        outcome.Error is not null ? (null, outcome.Error) : (outcome.Written!.ToResult(), null);
}
