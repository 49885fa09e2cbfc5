namespace Heddle.Proxy.Health;

/// <summary>One check of the application's readiness.</summary>
internal interface IReadinessProbe
{
    /// <summary>True when the application answered as ready within the timeout.</summary>
    ValueTask<bool> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
