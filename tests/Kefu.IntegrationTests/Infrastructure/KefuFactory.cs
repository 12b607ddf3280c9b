using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.IntegrationTests.Infrastructure;

/// <summary>
/// A real Kefu server on a real Kestrel port with its own data folder (SQLite), or its own
/// PostgreSQL database when KEFU_TEST_POSTGRES holds a server connection string.
/// </summary>
public sealed class KefuFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Test-Password-123!";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public KefuFactory()
        : this(null)
    {
    }

    // Not public: xUnit class fixtures may have one public constructor only.
    internal KefuFactory(string? dataDirectory)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "kefu-tests", Guid.NewGuid().ToString("N"));
        if (Environment.GetEnvironmentVariable("KEFU_TEST_POSTGRES") is { Length: > 0 } server)
        {
            PostgresConnection = $"{server};Database=kefu_{Path.GetFileName(DataDirectory)}";
        }

        UseKestrel(0);
    }

    public string DataDirectory { get; }

    /// <summary>Use Redis (KEFU_TEST_REDIS) as the SignalR backplane, as several nodes do.</summary>
    public bool UseRedis { get; init; }

    /// <summary>Replaces the server's clock when set before <see cref="Start"/>.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>
    /// Turns the bot on for the demo inbox. Off by default so that tests of the message path see only
    /// their own messages (with the bot on, it replies and takes the next Seq).
    /// </summary>
    public bool Bot { get; init; }

    /// <summary>Receives the server's logs as well (Warning and above unless <see cref="Settings"/> says otherwise).</summary>
    public ILoggerProvider? Logs { get; init; }

    /// <summary>Extra configuration, e.g. <c>Kefu:Bot:MissesBeforeHandoff</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    /// <summary>Services added to the server's own, e.g. an extra outbox consumer that counts deliveries.</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    public string? PostgresConnection { get; }
    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Kefu:Database:DataDirectory", DataDirectory);
        builder.UseSetting("Kefu:Seed:AdminEmail", AdminEmail);
        builder.UseSetting("Kefu:Seed:AdminPassword", AdminPassword);
        builder.UseSetting("Kefu:Widget:SessionsPerMinutePerIp", "100000");
        // Tests sign in and send from one address far more often than people do; the limit tests set their own.
        builder.UseSetting("Kefu:RateLimits:SignInsPerMinutePerIp", "100000");
        builder.UseSetting("Kefu:RateLimits:SignInsPerMinutePerAccount", "100000");
        builder.UseSetting("Kefu:RateLimits:VisitorMessagesPerSecond", "100000");
        builder.UseSetting("Kefu:RateLimits:VisitorMessageBurst", "100000");
        builder.UseSetting("Kefu:RateLimits:AgentMessagesPerSecond", "100000");
        builder.UseSetting("Kefu:RateLimits:AgentMessageBurst", "100000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Kefu:Seed:DemoBot", Bot ? "true" : "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        if (ExtraServices is not null)
        {
            builder.ConfigureServices(ExtraServices);
        }

        if (Logs is not null)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        }

        if (Clock is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton(Clock));
        }

        if (UseRedis)
        {
            builder.UseSetting("Kefu:Redis:Connection", Environment.GetEnvironmentVariable("KEFU_TEST_REDIS")
                ?? throw new InvalidOperationException("KEFU_TEST_REDIS is not set: scripts/test.sh starts Redis and sets it."));
        }

        if (PostgresConnection is not null)
        {
            builder.UseSetting("Kefu:Database:Provider", "Postgres");
            builder.UseSetting("Kefu:Database:ConnectionString", PostgresConnection);
        }
    }

    public KefuFactory Start()
    {
        StartServer();
        return this;
    }

    public HttpClient Http() => new() { BaseAddress = BaseAddress };

    internal async Task<T> WithDbAsync<T>(Func<KefuDbContext, Task<T>> action)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync();
        return await action(db);
    }

    public Task<string> DemoWidgetKeyAsync() => WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey != null).OrderBy(i => i.CreatedAt).Select(i => i.WidgetKey!).FirstAsync());

    public async Task<WidgetSession> NewVisitorAsync(string? key = null, string? token = null)
    {
        using var http = Http();
        var response = await http.PostAsJsonAsync("/api/v1/widget/sessions", new { key = key ?? await DemoWidgetKeyAsync(), token });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<WidgetSession>(Json))!;
    }

    public async Task<HubConnection> ConnectVisitorAsync(string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/visitor"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => o.PayloadSerializerOptions = Json)
            .Build();
        await connection.StartAsync();
        return connection;
    }

    public async Task<string> AgentTokenAsync(string email = AdminEmail, string password = AdminPassword)
    {
        using var http = Http();
        var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    public async Task<HttpClient> AgentHttpAsync(string? token = null)
    {
        var http = Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await AgentTokenAsync());
        return http;
    }

    public async Task<HubConnection> ConnectAgentAsync(string? token = null)
    {
        token ??= await AgentTokenAsync();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/agent"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => o.PayloadSerializerOptions = Json)
            .Build();
        await connection.StartAsync();
        return connection;
    }

    /// <summary>Another agent in the demo workspace; returns their e-mail (password as the admin's).</summary>
    public async Task<string> CreateAgentInDemoTenantAsync(string name = "Second agent")
    {
        var tenantId = await WithDbAsync(db => db.Tenants.OrderBy(t => t.CreatedAt).Select(t => t.Id).FirstAsync());
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AgentUser>>();
        var email = $"agent-{Guid.NewGuid():N}@demo.test";
        var result = await users.CreateAsync(new AgentUser
        {
            Id = Guid.CreateVersion7(), TenantId = tenantId, UserName = email, Email = email, DisplayName = name, Role = AgentRole.Agent, CreatedAt = DateTime.UtcNow,
        }, AdminPassword);
        Assert.True(result.Succeeded);
        return email;
    }

    /// <summary>A second, unrelated workspace with its own inbox and agent, for isolation tests.</summary>
    public async Task<(string WidgetKey, string AgentEmail)> CreateOtherTenantAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var now = DateTime.UtcNow;
        var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = "Other " + suffix, CreatedAt = now };
        var inbox = new Inbox { Id = Guid.CreateVersion7(), TenantId = tenant.Id, Name = "Other", WidgetKey = "other" + suffix, CreatedAt = now };
        await WithDbAsync(async db =>
        {
            db.Tenants.Add(tenant);
            db.Inboxes.Add(inbox);
            return await db.SaveChangesAsync();
        });
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AgentUser>>();
        var email = $"agent-{suffix}@other.test";
        var result = await users.CreateAsync(new AgentUser
        {
            Id = Guid.CreateVersion7(), TenantId = tenant.Id, UserName = email, Email = email, DisplayName = "Other agent", Role = AgentRole.Agent, CreatedAt = now,
        }, AdminPassword);
        Assert.True(result.Succeeded);
        return (inbox.WidgetKey, email);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (PostgresConnection is not null)
        {
            // Each factory has its own database, so its own Npgsql pool, whose idle connections outlive the
            // server by minutes: without this a full run holds more than PostgreSQL's 100 clients.
            using var connection = new Npgsql.NpgsqlConnection(PostgresConnection);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }

        GC.SuppressFinalize(this);
    }
}
