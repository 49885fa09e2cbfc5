using System.Net;
using Heddle.Benchmarks.Runner.Processes;

namespace Heddle.Benchmarks.Runner.Topology;

/// <summary>An HAProxy instance in the foreground (<c>-db</c>) with its config rendered into its own directory.</summary>
internal static class HaproxyServer
{
    public static async Task<ChildProcess> StartAsync(
        BenchContext context, string directory, IPEndPoint listen, IPEndPoint next, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        string config = ConfigTemplate.Render(
            Path.Combine(context.ConfigsDirectory, "haproxy", "proxy.cfg"),
            Path.Combine(directory, "haproxy.cfg"),
            new Dictionary<string, string> { ["LISTEN"] = listen.ToString(), ["NEXT"] = next.ToString() });
        await Listening.EnsureFreeAsync(listen, cancellationToken).ConfigureAwait(false);

        ChildProcess process = ChildProcess.Start(new ChildProcessSpec(context.Tools.Haproxy, ["-f", config, "-db"])
        {
            LogPath = Path.Combine(directory, "output.log"),
        });
        try
        {
            await Listening.WaitAsync(listen, process, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return process;
    }
}
