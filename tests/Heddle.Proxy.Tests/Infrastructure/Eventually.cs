namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes; tests wait this way instead of sleeping.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The operation's outcome, or a <see cref="TimeoutException"/> after the default timeout: a test whose
    /// operation would never complete fails instead of hanging.</summary>
    public static Task<T> Completes<T>(ValueTask<T> operation) => operation.AsTask().WaitAsync(DefaultTimeout);

    public static Task Completes(ValueTask operation) => operation.AsTask().WaitAsync(DefaultTimeout);

    public static Task<T> Completes<T>(Task<T> operation) => operation.WaitAsync(DefaultTimeout);

    public static Task Completes(Task operation) => operation.WaitAsync(DefaultTimeout);

    public static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(10);
        }
    }

    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await probe();
            if (value is not null)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(20);
        }
    }
}
