using System.Security.Cryptography;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Hosting;

/// <summary>
/// The <see cref="Idempotency"/> filter. The first request with a key inserts the key's row (the primary key makes
/// the claim: a racing twin's insert fails and it answers 409), runs, and stores its answer; a retry with the same
/// request replays that answer without running anything. Answers of 5xx, 409 and 429 are not kept (the request may
/// succeed later), and neither is any answer when the handler throws: the key is free again.
/// </summary>
internal sealed partial class IdempotencyFilter(IDbContextFactory<KefuDbContext> dbs, TimeProvider time, ILogger<IdempotencyFilter> log)
{
    /// <summary>Largest answer kept for replay; a larger one frees the key (creating answers are a few KB).</summary>
    private const int MaxStoredBody = 1024 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (!http.Request.Headers.TryGetValue(Idempotency.Header, out var values) || Idempotency.IsMultipart(http.Request) ||
            Caller(http.User) is not { } caller || http.GetEndpoint()?.Metadata.GetMetadata<Idempotency.NotReplayed>() is not null)
        {
            return await next(invocation);
        }

        var (tenantId, visitor) = caller;
        var sent = values.ToString();
        if (sent.Length is 0 or > Idempotency.MaxKeyLength || sent.Any(c => c is < '!' or > '~'))
        {
            return KefuProblems.Problem(Idempotency.InvalidKey);
        }

        var key = visitor is { } contact ? VisitorKey(contact, sent) : sent;
        var hash = await HashAsync(http.Request, http.RequestAborted);
        var (claimed, existing) = await ClaimAsync(tenantId, key, hash, http.RequestAborted);
        if (!claimed)
        {
            return existing is null ? KefuProblems.Problem(Idempotency.InProgress, http.Response)
                : existing.RequestHash != hash ? KefuProblems.Problem(Idempotency.KeyReused)
                : existing.Status == 0 ? KefuProblems.Problem(Idempotency.InProgress, http.Response)
                : Replay(existing);
        }

        try
        {
            return await RunAndStoreAsync(invocation, next, tenantId, key);
        }
        catch
        {
            await ReleaseAsync(tenantId, key);
            throw;
        }
    }

    /// <summary>
    /// The workspace of an agent (or API key) or of a widget visitor, and for a visitor their contact: keys are the
    /// workspace's, and a visitor's are their own within it (one visitor's key never replays another's answer).
    /// </summary>
    private static (Guid TenantId, Guid? Visitor)? Caller(System.Security.Claims.ClaimsPrincipal user) =>
        AgentIdentity.From(user) is { } agent ? (agent.TenantId, null)
        : VisitorIdentity.From(user) is { } visitor ? (visitor.TenantId, visitor.ContactId)
        : null;

    /// <summary>A visitor's key as stored: <c>v:</c>, the contact and the key sent, hashed when that would not fit the column.</summary>
    private static string VisitorKey(Guid contact, string sent)
    {
        var key = $"v:{contact:N}:{sent}";
        return key.Length <= Idempotency.MaxKeyLength ? key
            : $"v:{contact:N}:#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sent)));
    }

    /// <summary>Inserts the key's row; when it exists (and is not expired), returns it instead.</summary>
    private async Task<(bool Claimed, IdempotencyRecord? Existing)> ClaimAsync(Guid tenantId, string key, string hash, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var existing = await db.Set<IdempotencyRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.TenantId == tenantId && r.Key == key, ct);
        if (existing is not null && existing.CreatedAt > now - Idempotency.Lifetime)
        {
            return (false, existing);
        }

        if (existing is not null)
        {
            // Past its lifetime but not swept yet: the key is free again.
            await db.Set<IdempotencyRecord>().Where(r => r.TenantId == tenantId && r.Key == key && r.CreatedAt == existing.CreatedAt).ExecuteDeleteAsync(ct);
        }

        db.Add(new IdempotencyRecord { TenantId = tenantId, Key = key, RequestHash = hash, CreatedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
            return (true, null);
        }
        catch (DbUpdateException)
        {
            // A twin inserted it first: answer from its row (or 409 when it went away meanwhile).
            await using var again = await dbs.CreateDbContextAsync(ct);
            return (false, await again.Set<IdempotencyRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.TenantId == tenantId && r.Key == key, ct));
        }
    }

    /// <summary>Runs the endpoint, writes its answer into a buffer, stores it for replay, then sends it.</summary>
    private async Task<object?> RunAndStoreAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next, Guid tenantId, string key)
    {
        var http = invocation.HttpContext;
        var result = await next(invocation);
        if (result is not IResult answer)
        {
            await ReleaseAsync(tenantId, key);
            return result;
        }

        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await answer.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var status = http.Response.StatusCode;
        if (status is >= 500 or StatusCodes.Status409Conflict or StatusCodes.Status429TooManyRequests || buffer.Length > MaxStoredBody)
        {
            await ReleaseAsync(tenantId, key);
        }
        else
        {
            var body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            var contentType = http.Response.ContentType;
            var location = http.Response.Headers.Location.ToString();
            await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
            await db.Set<IdempotencyRecord>().Where(r => r.TenantId == tenantId && r.Key == key)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.ContentType, contentType)
                    .SetProperty(r => r.Location, location.Length == 0 ? null : location).SetProperty(r => r.Body, body), CancellationToken.None);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
        return Results.Empty;
    }

    private async Task ReleaseAsync(Guid tenantId, string key)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
            await db.Set<IdempotencyRecord>().Where(r => r.TenantId == tenantId && r.Key == key).ExecuteDeleteAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The key stays claimed until the sweep: retries answer 409 meanwhile, never run twice.
            LogReleaseFailed(log, e);
        }
    }

    private static IResult Replay(IdempotencyRecord record) => new ReplayResult(record);

    /// <summary>SHA-256 over the method, path, query and body: the same request, byte for byte.</summary>
    private static async Task<string> HashAsync(HttpRequest request, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                sha.AppendData(chunk, 0, read);
            }

            request.Body.Position = 0;
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private sealed class ReplayResult(IdempotencyRecord record) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = record.Status;
            http.Response.Headers[Idempotency.ReplayedHeader] = "true";
            if (record.Location is { } location)
            {
                http.Response.Headers.Location = location;
            }

            if (record.ContentType is { } contentType)
            {
                http.Response.ContentType = contentType;
            }

            if (record.Body is { Length: > 0 } body)
            {
                await http.Response.WriteAsync(body, http.RequestAborted);
            }
        }
    }

    [LoggerMessage(EventId = 9501, Level = LogLevel.Warning, Message = "An idempotency key could not be released after a failed request")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);
}
