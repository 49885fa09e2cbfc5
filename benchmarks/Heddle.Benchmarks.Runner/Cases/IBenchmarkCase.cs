namespace Heddle.Benchmarks.Runner.Cases;

/// <summary>One topology between the load generator and the upstream: starts its proxies and says where to send load.</summary>
internal interface IBenchmarkCase
{
    /// <summary>Stable id used on the command line and in the JSON ("nginx-pair").</summary>
    string Id { get; }

    string Title { get; }

    /// <summary>The request path, e.g. "client → nginx → nginx → upstream".</summary>
    string Path { get; }

    /// <summary>Null when the case can run; otherwise why not, e.g. a feature that does not exist yet.</summary>
    Task<string?> UnavailableReasonAsync(BenchContext context, CancellationToken cancellationToken);

    /// <summary>Starts the proxies of this case; the caller disposes the result to stop them.</summary>
    Task<RunningTopology> StartAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>Thrown by <see cref="IBenchmarkCase.StartAsync"/> when the case turns out not to be runnable yet (not a failure).</summary>
internal sealed class CaseUnavailableException(string reason) : Exception(reason);
