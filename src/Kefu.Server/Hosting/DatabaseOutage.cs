using System.Collections.Concurrent;
using System.Reflection;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Hosting;

/// <summary>
/// A database restart or failover answers every request and hub call with the typed <c>service_unavailable</c> error
/// and a wait (HTTP 503 with <c>Retry-After</c>; a failed <see cref="HubResult{T}"/> on the hubs), instead of a 500 or
/// SignalR's untyped "unexpected error". Clients retry on that code; nothing was stored by the failed call. Only
/// failures <see cref="DatabaseFailure.IsTransient"/> recognises are mapped: a bug still surfaces as one.
/// The log gets one warning per interval, with how many were held back, not a stack trace per call.
/// </summary>
internal sealed partial class DatabaseOutage(TimeProvider clock, ILogger<DatabaseOutage> logger) : IExceptionHandler, IHubFilter
{
    private static readonly ConcurrentDictionary<Type, object?> Failures = new();
    private readonly LogThrottle _throttle = new(clock, TimeSpan.FromSeconds(10));

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFailure.IsTransient(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        Log(exception);
        await KefuProblems.Problem(KefuError.ServiceUnavailable, httpContext.Response).ExecuteAsync(httpContext);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception ex) when (DatabaseFailure.IsTransient(ex) && FailureFor(invocationContext.HubMethod) is { } failure)
        {
            Log(ex);
            return failure;
        }
    }

    /// <summary>The failed <c>HubResult&lt;T&gt;</c> a method returning <c>Task&lt;HubResult&lt;T&gt;&gt;</c> answers with; null for other methods.</summary>
    internal static object? FailureFor(MethodInfo method) => Failures.GetOrAdd(method.ReturnType, static type =>
    {
        var result = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) ? type.GetGenericArguments()[0] : type;
        return result.IsGenericType && result.GetGenericTypeDefinition() == typeof(HubResult<>)
            ? result.GetMethod(nameof(HubResult<object>.Failure), BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [KefuError.ServiceUnavailable])
            : null;
    });

    private void Log(Exception exception)
    {
        if (_throttle.ShouldLog(out var held))
        {
            LogUnavailable(logger, exception.GetType().Name, held);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable ({ExceptionType}): answering service_unavailable; {Held} more since the last warning")]
    private static partial void LogUnavailable(ILogger logger, string exceptionType, int held);
}
