using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using OtpNet;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>Token sign-in, sessions and two-factor through the real HTTP API, for the sign-in tests.</summary>
public static class SignInClient
{
    public sealed record Tokens(string Access, string Refresh);

    public static async Task<HttpResponseMessage> TokenResponseAsync(KefuFactory server, string email, string password,
        string? twoFactorCode = null, string? recoveryCode = null)
    {
        using var http = server.Http();
        http.DefaultRequestHeaders.UserAgent.ParseAdd("kefu-tests/1.0");
        return await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password, twoFactorCode, recoveryCode });
    }

    public static async Task<Tokens> TokensAsync(KefuFactory server, string email, string password = KefuFactory.AdminPassword, string? twoFactorCode = null)
    {
        var response = await TokenResponseAsync(server, email, password, twoFactorCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Tokens(body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    public static HttpClient Bearer(KefuFactory server, string access)
    {
        var http = server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return http;
    }

    public static async Task<HttpResponseMessage> RefreshAsync(KefuFactory server, string refreshToken)
    {
        using var http = server.Http();
        return await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });
    }

    public static async Task<JsonElement[]> SessionsAsync(HttpClient http)
    {
        var response = await http.GetAsync("/api/v1/account/sessions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }

    public static async Task<string?> CodeOfAsync(HttpResponseMessage problem) =>
        (await problem.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("code", out var code) ? code.GetString() : null;

    /// <summary>Starts enrolment and returns the shared key (as the app would read it).</summary>
    public static async Task<string> StartEnrolmentAsync(HttpClient http)
    {
        var response = await http.PostAsync("/api/v1/account/two-factor/authenticator", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("data:image/png;base64,", body.GetProperty("qrCode").GetString());
        Assert.StartsWith("otpauth://totp/", body.GetProperty("authenticatorUri").GetString());
        return body.GetProperty("sharedKey").GetString()!.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
    }

    /// <summary>Enrols the bearer's user in two-factor sign-in; returns the key and the recovery codes.</summary>
    public static async Task<(string Key, string[] RecoveryCodes)> EnrolAsync(HttpClient http)
    {
        var key = await StartEnrolmentAsync(http);
        var response = await http.PostAsJsonAsync("/api/v1/account/two-factor/enable", new { code = Code(key) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var codes = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return (key, codes);
    }

    /// <summary>The authenticator's current code for <paramref name="key"/> (RFC 6238, as any authenticator app computes it).</summary>
    public static string Code(string key) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();

    /// <summary>A six-digit code that is none of the codes of the steps around now (Identity accepts a few steps of drift).</summary>
    public static string WrongCode(string key)
    {
        var totp = new Totp(Base32Encoding.ToBytes(key));
        var now = DateTime.UtcNow;
        var near = Enumerable.Range(-3, 7).Select(step => totp.ComputeTotp(now.AddSeconds(30 * step))).ToHashSet();
        return Enumerable.Range(0, 10).Select(i => $"{i}{i}{i}{i}{i}{i}").First(c => !near.Contains(c));
    }

    public static Task Closed(HubConnection hub)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    /// <summary>The id of the user with <paramref name="email"/>.</summary>
    public static Task<Guid> UserIdAsync(KefuFactory server, string email) =>
        server.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.Email == email).Select(u => u.Id)));

    /// <summary>The audit entries of <paramref name="action"/> about <paramref name="targetId"/> (any target when null).</summary>
    internal static Task<List<Kefu.Server.Features.Accounts.Audit.AuditEntry>> AuditAsync(KefuFactory server, string action, string? targetId = null) =>
        server.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.AuditEntries.Where(e => e.Action == action && (targetId == null || e.TargetId == targetId))));
}
