using System.Net;
using Heddle.Benchmarks.Runner.Processes;

namespace Heddle.Benchmarks.Runner.Topology;

/// <summary>An nginx instance in the foreground with its config, pid, logs and temp files in its own directory.</summary>
internal static class NginxServer
{
    /// <param name="template">A file name under benchmarks/configs/nginx.</param>
    public static async Task<ChildProcess> StartAsync(
        BenchContext context, string directory, string template, IPEndPoint listen, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var all = new Dictionary<string, string>(values)
        {
            ["RUN_DIR"] = directory,
            ["LISTEN"] = listen.ToString(),
        };
        string config = ConfigTemplate.Render(
            Path.Combine(context.ConfigsDirectory, "nginx", template), Path.Combine(directory, "nginx.conf"), all);
        await Listening.EnsureFreeAsync(listen, cancellationToken).ConfigureAwait(false);

        // -p: prefix for relative paths; -e: error log before the config is read (the default under /var/log may not be writable).
        ChildProcess process = ChildProcess.Start(new ChildProcessSpec(
            context.Tools.Nginx,
            ["-g", "daemon off;", "-c", config, "-p", directory + "/", "-e", Path.Combine(directory, "error.log")])
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
