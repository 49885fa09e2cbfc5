namespace Heddle.Config.Model;

/// <summary>Retry policy of an HTTP route.</summary>
public sealed record HttpRetry
{
    /// <summary>Number of retries; 0 disables retries.</summary>
    public int? Attempts { get; init; }

    /// <summary>Timeout of each attempt.</summary>
    public TimeSpan? PerTryTimeout { get; init; }

    /// <summary>Comma-separated retry conditions (Envoy names, e.g. <c>5xx,connect-failure</c>, or status codes).</summary>
    public string? RetryOn { get; init; }

    /// <summary>Whether retries may go to other localities.</summary>
    public bool? RetryRemoteLocalities { get; init; }

    /// <summary>Whether a retry avoids hosts already tried.</summary>
    public bool? RetryIgnorePreviousHosts { get; init; }

    /// <summary>Base interval between retries.</summary>
    public TimeSpan? Backoff { get; init; }
}
