using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Security;

/// <summary>Neither the answer nor the work done tells an unknown e-mail from a wrong password or a locked account.</summary>
public sealed class SignInEnumerationTests : IAsyncLifetime
{
    private readonly CountingHasher _hasher = new();
    private readonly KefuFactory _server;

    public SignInEnumerationTests()
    {
        var hasher = _hasher;
        _server = new KefuFactory { ExtraServices = s => s.AddSingleton<IPasswordHasher<AgentUser>>(hasher) };
    }

    public Task InitializeAsync()
    {
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TokenRequest_UnknownEmail_WrongPassword_AndLockedAccount_AnswerAlike_AndEachVerifiesOneHash()
    {
        var existing = await _server.CreateAgentInDemoTenantAsync();
        var locked = await LockedAccountAsync();
        using var http = _server.Http();

        var unknown = await TokenAttemptAsync(http, "nobody-" + Guid.NewGuid().ToString("N") + "@demo.test", "Wrong-password-1!");
        var wrong = await TokenAttemptAsync(http, existing, "Wrong-password-1!");
        var lockedWithRightPassword = await TokenAttemptAsync(http, locked, KefuFactory.AdminPassword);

        Assert.All(new[] { unknown, wrong, lockedWithRightPassword }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.Status));
        Assert.Equal(wrong.Body, unknown.Body);
        Assert.Equal(wrong.Body, lockedWithRightPassword.Body);
        Assert.DoesNotContain("lock", wrong.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, unknown.Verifications);
        Assert.Equal(1, wrong.Verifications);
        Assert.Equal(1, lockedWithRightPassword.Verifications);
    }

    [Fact]
    public async Task ConsoleSignIn_UnknownEmail_WrongPassword_AndLockedAccount_ShowTheSameError_AndEachVerifiesOneHash()
    {
        var existing = await _server.CreateAgentInDemoTenantAsync();
        var locked = await LockedAccountAsync();

        var unknown = await ConsoleAttemptAsync("nobody-" + Guid.NewGuid().ToString("N") + "@demo.test", "Wrong-password-1!");
        var wrong = await ConsoleAttemptAsync(existing, "Wrong-password-1!");
        var lockedWithRightPassword = await ConsoleAttemptAsync(locked, KefuFactory.AdminPassword);

        Assert.NotNull(wrong.Error);
        Assert.Equal(wrong.Error, unknown.Error);
        Assert.Equal(wrong.Error, lockedWithRightPassword.Error);
        Assert.Equal((1, 1, 1), (unknown.Verifications, wrong.Verifications, lockedWithRightPassword.Verifications));
    }

    [Fact]
    public async Task SignIn_LocksOutAfterRepeatedFailures_EvenWithTheRightPassword()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        using var http = _server.Http();

        var locked = await LockedAccountAsync(email);
        var right = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = locked, password = KefuFactory.AdminPassword });

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
    }

    private async Task<string> LockedAccountAsync(string? email = null)
    {
        email ??= await _server.CreateAgentInDemoTenantAsync();
        using var http = _server.Http();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password = "wrong-password-" + i });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        return email;
    }

    private async Task<(HttpStatusCode Status, string Body, int Verifications)> TokenAttemptAsync(HttpClient http, string email, string password)
    {
        var before = _hasher.Verifications;
        var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId"); // differs per request by design
        return (response.StatusCode, body.ToJsonString(), _hasher.Verifications - before);
    }

    private async Task<(string? Error, int Verifications)> ConsoleAttemptAsync(string email, string password)
    {
        var before = _hasher.Verifications;
        var (client, _, error) = await ConsoleSignIn.PostAsync(_server, email, password);
        client.Dispose();
        return (error, _hasher.Verifications - before);
    }

    /// <summary>The real hasher, counting verifications: the deterministic stand-in for "took as long".</summary>
    private sealed class CountingHasher : IPasswordHasher<AgentUser>
    {
        private readonly PasswordHasher<AgentUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(AgentUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AgentUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
