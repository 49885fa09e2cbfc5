using Heddle.Benchmarks.Runner.Processes;

namespace Heddle.Benchmarks.Runner.Topology;

/// <summary>The one upstream of every case: nginx with one worker answering every request with <see cref="ResponseBody"/>.</summary>
internal sealed class Upstream : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private Upstream(ChildProcess process, MeasuredProcess measured)
    {
        _process = process;
        Measured = measured;
    }

    public MeasuredProcess Measured { get; }

    public bool IsAlive => !_process.HasExited;

    public static async Task<Upstream> StartAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ChildProcess process = await NginxServer.StartAsync(
            context,
            Path.Combine(context.ResultsDirectory, "upstream"),
            "upstream.conf",
            context.Addresses.Upstream,
            new Dictionary<string, string> { ["BODY"] = ResponseBody.Text },
            cancellationToken).ConfigureAwait(false);
        return new Upstream(process, new MeasuredProcess("upstream", "nginx", process.Id));
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
