using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Heddle.ControlPlane.Tests.TestSupport;

/// <summary>A logger factory that keeps every formatted line, for tests that check what was logged.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger<T> CreateLogger<T>() => new Logger<T>(this);

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
    }
}
