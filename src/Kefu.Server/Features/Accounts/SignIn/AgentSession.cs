using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>How a session was signed in.</summary>
public enum SessionKind
{
    /// <summary>The console's cookie, after a password (and a second factor when enrolled).</summary>
    Console,

    /// <summary>A bearer token from <c>POST /api/v1/auth/token</c>, renewed by refresh tokens.</summary>
    Token,

    /// <summary>The console's cookie after single sign-on: the identity provider owns the second factor.</summary>
    SingleSignOn,
}

/// <summary>
/// One sign-in: a console cookie or a bearer token with its refresh tokens. Its id travels in the principal
/// (<see cref="SessionClaims.SessionId"/>); a request or hub connection whose session has ended is refused.
/// </summary>
internal sealed class AgentSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid TenantId { get; set; }
    public SessionKind Kind { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Updated at most once a minute, so a busy session costs one write a minute, not one per request.</summary>
    public DateTime LastSeenAt { get; set; }

    /// <summary>When the cookie or the last refresh token runs out: a session past it is gone without being ended.</summary>
    public DateTime ExpiresAt { get; set; }

    public DateTime? EndedAt { get; set; }

    /// <summary>Who ended it: the user, an admin, or null for the server (refresh-token reuse, expiry).</summary>
    public Guid? EndedBy { get; set; }

    public string? ClientIp { get; set; }

    /// <summary>A short summary such as "Chrome on Windows", never the whole header.</summary>
    public string? UserAgent { get; set; }

    /// <summary>The one refresh token of a <see cref="SessionKind.Token"/> session that may still be used.</summary>
    public Guid? RefreshTokenId { get; set; }
}

internal sealed class AgentSessionConfiguration : IEntityTypeConfiguration<AgentSession>
{
    public void Configure(EntityTypeBuilder<AgentSession> builder)
    {
        builder.ToTable("AgentSessions");
        builder.Property(s => s.Kind).HasMaxLength(20);
        builder.Property(s => s.ClientIp).HasMaxLength(45);
        builder.Property(s => s.UserAgent).HasMaxLength(80);
        builder.HasIndex(s => new { s.UserId, s.EndedAt });
        builder.HasOne<Contracts.AgentUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The claims that bind a principal to its session.</summary>
internal static class SessionClaims
{
    /// <summary>The session id, in every cookie and bearer principal.</summary>
    public const string SessionId = "kefu:sid";

    /// <summary>The refresh token's own id, in bearer principals (the refresh token carries the same claims).</summary>
    public const string RefreshTokenId = "kefu:rt";

    public static Guid? Session(System.Security.Claims.ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirst(SessionId)?.Value, out var id) ? id : null;
}
