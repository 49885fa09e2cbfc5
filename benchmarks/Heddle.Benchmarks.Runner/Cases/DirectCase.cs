using Heddle.Benchmarks.Runner.Load;

namespace Heddle.Benchmarks.Runner.Cases;

/// <summary>The floor: the load generator talks to the upstream with no proxy in between.</summary>
internal sealed class DirectCase : IBenchmarkCase
{
    public string Id => "direct";

    public string Title => "Direct";

    public string Path => "client → upstream";

    public Task<string?> UnavailableReasonAsync(BenchContext context, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task<RunningTopology> StartAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var target = new LoadTarget(new Uri($"http://{context.Addresses.Upstream}/"));
        return Task.FromResult(new RunningTopology(target, [], () => ValueTask.CompletedTask));
    }
}
