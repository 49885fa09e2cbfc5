using System.CommandLine;
using Heddle.Cli.LocalMesh;
using Heddle.Discovery;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle scrape-config</c>: prints a Prometheus configuration that scrapes the running mesh's sidecars and control
/// plane, for an unmodified Prometheus (<c>heddle up</c> also writes it to <c>prometheus.yml</c> in its run directory).
/// </summary>
internal static class ScrapeConfigCommand
{
    public static Command Create()
    {
        var runDirectory = CommonOptions.RunDirectory();
        var interval = new Option<int>("--interval")
        {
            Description = "Scrape interval in seconds",
            DefaultValueFactory = _ => 15,
            HelpName = "SECONDS",
        };
        var proxyOnly = new Option<bool>("--proxy-only")
        {
            Description = "Scrape the sidecars' own metrics (15090) instead of the merged proxy + application metrics (15020)",
        };
        var command = new Command("scrape-config", "Print a Prometheus configuration that scrapes the running mesh")
        {
            runDirectory, interval, proxyOnly,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var state = RunDirectory.Resolve(parseResult.GetValue(runDirectory)).TryReadRunning(out string problem);
            if (state is null)
            {
                error.WriteLine($"heddle scrape-config: {problem}");
                return 1;
            }

            int seconds = parseResult.GetValue(interval);
            if (seconds <= 0)
            {
                error.WriteLine("heddle scrape-config: --interval must be a positive number of seconds");
                return 1;
            }

            output.Write(ScrapeConfig.Render(
                state.ConfigDirectory,
                state.ControlPlane.Monitoring,
                state.Pods,
                TimeSpan.FromSeconds(seconds),
                parseResult.GetValue(proxyOnly) ? MeshPorts.ProxyMetrics : MeshPorts.MergedMetrics));
            return 0;
        });
        return command;
    }
}
