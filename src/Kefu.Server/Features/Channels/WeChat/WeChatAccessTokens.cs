using System.Collections.Concurrent;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>An access token and its version (the number of the fetch that produced it).</summary>
internal sealed record WeChatToken(string Value, int Version, DateTime ExpiresAt);

/// <summary>A WeChat API call refused with an error code that retrying will not fix.</summary>
internal sealed class WeChatApiException(int code) : Exception($"WeChat refused the call with error {code}.")
{
    public int Code { get; } = code;
}

/// <summary>
/// Access tokens, cached per node and refreshed once across nodes. WeChat allows a limited number of token fetches a
/// day and each fetch retires the previous token, so two nodes refreshing at once would each break the other's
/// sends. The node that takes the row's lease (a conditional update that works on both providers) fetches; the
/// others, and the other callers of this node (one gate per inbox), wait for its row instead of fetching.
/// </summary>
internal sealed partial class WeChatAccessTokens(
    IDbContextFactory<KefuDbContext> dbFactory, WeChatApi api, IDataProtectionProvider protection, IOptions<WeChatOptions> options,
    TimeProvider time, ILogger<WeChatAccessTokens> logger)
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);
    private readonly IDataProtector _protector = protection.CreateProtector("Kefu.Channels.WeChat.Token.v1");
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();
    private readonly ConcurrentDictionary<Guid, WeChatToken> _cache = new();

    /// <summary>
    /// A valid token. <paramref name="rejected"/> is the version WeChat just refused (40001/42001): a newer one is
    /// returned, fetched at most once however many callers and nodes saw the refusal.
    /// </summary>
    public async Task<WeChatToken> GetAsync(Guid inboxId, WeChatSettings settings, int? rejected, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(inboxId, out var cached) && Usable(cached.Version, cached.ExpiresAt, rejected))
        {
            return cached;
        }

        var gate = _gates.GetOrAdd(inboxId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var token = await ReadOrRefreshAsync(inboxId, settings, rejected, cancellationToken);
            _cache[inboxId] = token;
            return token;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The credentials changed: the stored token (fetched with the old AppSecret) is dropped everywhere.</summary>
    public async Task ForgetAsync(Guid inboxId, CancellationToken cancellationToken)
    {
        _cache.TryRemove(inboxId, out _);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Set<WeChatAccessToken>().Where(t => t.InboxId == inboxId).ExecuteDeleteAsync(cancellationToken);
    }

    private bool Usable(int version, DateTime expiresAt, int? rejected) =>
        (rejected is null || version > rejected) && expiresAt > time.GetUtcNow().UtcDateTime;

    private async Task<WeChatToken> ReadOrRefreshAsync(Guid inboxId, WeChatSettings settings, int? rejected, CancellationToken cancellationToken)
    {
        var lease = options.Value.TokenLease;
        var giveUp = time.GetUtcNow() + lease + lease;
        while (true)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var tokens = db.Set<WeChatAccessToken>();
            var row = await tokens.AsNoTracking().FirstOrDefaultAsync(t => t.InboxId == inboxId, cancellationToken);
            if (row is { Token: { } sealedToken } && Usable(row.Version, row.ExpiresAt, rejected))
            {
                return new WeChatToken(_protector.Unprotect(sealedToken), row.Version, row.ExpiresAt);
            }

            if (row is null)
            {
                await CreateRowAsync(db, inboxId, cancellationToken);
                continue;
            }

            var version = row.Version;
            var claimed = await tokens.Where(t => t.InboxId == inboxId && t.Version == version && (t.LeaseUntil == null || t.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseUntil, now + lease), cancellationToken);
            if (claimed == 1)
            {
                return await RefreshAsync(tokens, inboxId, settings, version, cancellationToken);
            }

            if (time.GetUtcNow() > giveUp)
            {
                throw new TimeoutException($"No access token for WeChat inbox {inboxId}: another node holds the refresh lease.");
            }

            // Another node is fetching: its row answers shortly; bounded by the lease it holds.
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    private async Task<WeChatToken> RefreshAsync(DbSet<WeChatAccessToken> tokens, Guid inboxId, WeChatSettings settings, int version, CancellationToken cancellationToken)
    {
        WeChatResult result;
        try
        {
            result = settings.Secret is { } secret
                ? await api.FetchTokenAsync(settings.AppId, secret, cancellationToken)
                : new WeChatResult(40125, "no secret");
        }
        catch
        {
            await tokens.Where(t => t.InboxId == inboxId && t.Version == version).ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseUntil, (DateTime?)null), CancellationToken.None);
            throw;
        }

        if (result.ErrorCode != 0 || result.AccessToken is not { Length: > 0 } value)
        {
            await tokens.Where(t => t.InboxId == inboxId && t.Version == version).ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseUntil, (DateTime?)null), CancellationToken.None);
            LogRefreshRefused(logger, inboxId, result.ErrorCode);
            throw new WeChatApiException(result.ErrorCode);
        }

        // Stop using it a little before WeChat does, so a send never races the expiry.
        var expiresAt = time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(Math.Max(60, result.ExpiresIn - Margin.TotalSeconds));
        var sealedToken = _protector.Protect(value);
        await tokens.Where(t => t.InboxId == inboxId && t.Version == version).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Token, sealedToken).SetProperty(t => t.ExpiresAt, expiresAt)
            .SetProperty(t => t.Version, version + 1).SetProperty(t => t.LeaseUntil, (DateTime?)null), CancellationToken.None);
        LogRefreshed(logger, inboxId, version + 1);
        return new WeChatToken(value, version + 1, expiresAt);
    }

    private static async Task CreateRowAsync(KefuDbContext db, Guid inboxId, CancellationToken cancellationToken)
    {
        db.Add(new WeChatAccessToken { InboxId = inboxId, ExpiresAt = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node created it first: the loop reads theirs.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WeChat inbox {InboxId}: access token refreshed (version {Version})")]
    private static partial void LogRefreshed(ILogger logger, Guid inboxId, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat inbox {InboxId}: the token endpoint refused the credentials (error {Code})")]
    private static partial void LogRefreshRefused(ILogger logger, Guid inboxId, int code);
}
