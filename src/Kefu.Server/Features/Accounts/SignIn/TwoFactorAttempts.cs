using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>
/// Code checks of a signed-in user (enrol, turn off, new recovery codes) per account, at the sign-in rate: six digits
/// must not be guessable by a stolen session at request speed. Sign-in itself is limited by <see cref="SignInRateLimit"/>
/// and locked out by Identity.
/// </summary>
internal sealed class TwoFactorAttempts(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private readonly KeyedTokenBucket _users = new(options.Value.SignInsPerMinutePerAccount / 60.0, options.Value.SignInsPerMinutePerAccount, time);

    /// <summary>Null when the user may try a code now; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(Guid userId) => _users.TryTake(userId.ToString("N"));
}
