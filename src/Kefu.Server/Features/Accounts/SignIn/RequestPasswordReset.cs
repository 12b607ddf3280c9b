using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Threading.Channels;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Hosting.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>Who forgot their password.</summary>
/// <param name="Email">The account's e-mail.</param>
public sealed record PasswordResetRequest([property: Required, MaxLength(256)] string Email);

/// <summary>
/// <c>POST /api/v1/auth/password-reset</c> and the console's "forgot password" form: always 202, whether the account
/// exists or not, with the same work on both paths (one lookup, one audit entry, one queue write), so neither the
/// answer nor its time tells who has an account. The mail itself (token, SMTP) goes out in the background
/// (<see cref="PasswordResetMailer"/>). Limited per client IP and per e-mail like sign-ins (429 does not depend on the
/// account either).
/// </summary>
internal sealed partial class RequestPasswordReset(
    UserManager<AgentUser> users, SignInRateLimit limits, IMailSender mail, PasswordResetQueue queue, IAuditLog audit, ILogger<RequestPasswordReset> logger)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/auth/password-reset", async Task<Results<Accepted, ProblemHttpResult>> (PasswordResetRequest request, HttpContext http, RequestPasswordReset handler) =>
                await handler.HandleAsync(request.Email, http.Connection.RemoteIpAddress) is { } error
                    ? KefuProblems.Problem(error, http.Response) : TypedResults.Accepted((string?)null))
            .WithName("RequestPasswordReset")
            .WithTags("Auth")
            .AllowAnonymous();

    public async Task<KefuError?> HandleAsync(string email, IPAddress? client)
    {
        if (limits.TryAcquire(client, email) is { } wait)
        {
            return SignInErrors.Throttled(wait);
        }

        if (!mail.IsConfigured)
        {
            LogNotConfigured(logger);
        }

        var user = await users.FindByEmailAsync(email.Trim());
        await audit.WriteAsync(new AuditRecord(AuditActions.PasswordResetRequested, user is null ? null : "user", user?.Id.ToString())
        {
            TenantId = user?.TenantId,
            ActorId = user?.Id,
            Outcome = user is null ? AuditOutcome.Failed : AuditOutcome.Succeeded,
        }, CancellationToken.None);
        // An unknown account queues nothing, which costs what queueing costs: nothing measurable.
        if (user is not null && mail.IsConfigured)
        {
            queue.TryWrite(user.Id);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A password reset was asked for, but mail is not configured (Kefu:Mail:Host): no link is sent")]
    private static partial void LogNotConfigured(ILogger logger);
}

/// <summary>Users waiting for a reset mail; bounded, so a flood of requests cannot grow memory (the oldest are dropped).</summary>
internal sealed class PasswordResetQueue
{
    private readonly Channel<Guid> _users = Channel.CreateBounded<Guid>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

    public ChannelReader<Guid> Reader => _users.Reader;

    public bool TryWrite(Guid userId) => _users.Writer.TryWrite(userId);
}
