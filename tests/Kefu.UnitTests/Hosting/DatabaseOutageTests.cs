using System.Text.Json;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Realtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.UnitTests.Hosting;

/// <summary>
/// A database that is restarting answers HTTP with a 503 <c>service_unavailable</c> problem and hub calls with the
/// same typed error, through ASP.NET Core's and SignalR's own extension points; anything else still fails as itself.
/// </summary>
public sealed class DatabaseOutageTests
{
    // SQLITE_BUSY: what a locked or restarting database gives; the provider marks it transient.
    private static readonly SqliteException Busy = new("database is locked", 5);
    private readonly DatabaseOutage _outage = new(TimeProvider.System, NullLogger<DatabaseOutage>.Instance);

    [Fact]
    public async Task Http_TransientFailure_Is503ProblemWithRetryAfter()
    {
        var context = HttpContext();

        Assert.True(await _outage.TryHandleAsync(context, new InvalidOperationException("wrapped", Busy), CancellationToken.None));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(KefuError.ServiceUnavailableCode, problem.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Http_OtherFailure_IsLeftToTheDefaultHandler()
    {
        var context = HttpContext();

        Assert.False(await _outage.TryHandleAsync(context, new SqliteException("UNIQUE constraint failed", 19), CancellationToken.None));
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Fact]
    public async Task Hub_TransientFailure_IsTypedHubResult()
    {
        var result = await _outage.InvokeMethodAsync(Invocation(nameof(VisitorHub.GetMessages)), _ => throw Busy);

        var failed = Assert.IsType<HubResult<MessagePage>>(result);
        Assert.False(failed.Ok);
        Assert.Equal(KefuError.ServiceUnavailableCode, failed.Error!.Code);
        Assert.Equal(2, failed.Error.RetryAfterSeconds);
    }

    [Fact]
    public async Task Hub_OtherFailure_AndMethodsWithoutATypedResult_StillThrow()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await _outage.InvokeMethodAsync(Invocation(nameof(VisitorHub.GetMessages)), _ => throw new InvalidOperationException("a bug")));
        await Assert.ThrowsAsync<SqliteException>(async () =>
            await _outage.InvokeMethodAsync(Invocation(nameof(VisitorHub.OnConnectedAsync)), _ => throw Busy));
    }

    private static DefaultHttpContext HttpContext()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        return new DefaultHttpContext { RequestServices = services, Response = { Body = new MemoryStream() } };
    }

    private static HubInvocationContext Invocation(string method) =>
        new(new CallerContext(), new ServiceCollection().BuildServiceProvider(), null!, typeof(VisitorHub).GetMethod(method)!, []);

    private sealed class CallerContext : HubCallerContext
    {
        public override string ConnectionId => "test";
        public override string? UserIdentifier => null;
        public override System.Security.Claims.ClaimsPrincipal? User => null;
        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();
        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();
        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort()
        {
        }
    }
}
