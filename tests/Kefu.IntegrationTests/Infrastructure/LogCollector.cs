using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kefu.IntegrationTests.Infrastructure;

/// <summary>Keeps every log entry the server writes, with its event id and rendered text.</summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<(EventId Id, string Text)> _entries = new();

    public IReadOnlyList<(EventId Id, string Text)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((eventId, formatter(state, exception)));
    }
}
