using System.Globalization;
using Heddle.Benchmarks.Runner.Processes;

namespace Heddle.Benchmarks.Runner.Load;

/// <summary>Constant-rate load with hey: <c>-c</c> connections, each rate-limited to rate/connections requests/s.</summary>
internal static class HeyLoad
{
    /// <param name="csvPath">Where hey's per-request CSV goes; null for a warm-up whose results are discarded.</param>
    public static async Task<LatencySummary?> RunAsync(
        BenchContext context, LoadTarget target, TimeSpan duration, string? csvPath, CancellationToken cancellationToken)
    {
        RunnerOptions options = context.Options;
        double perConnection = (double)options.Rate / options.Connections;
        var arguments = new List<string>
        {
            "-c", options.Connections.ToString(CultureInfo.InvariantCulture),
            "-q", perConnection.ToString("0.####", CultureInfo.InvariantCulture),
            "-z", DurationText.ForTools(duration),
            "-t", "10",
            "-disable-compression",
        };
        if (csvPath is not null)
        {
            arguments.Add("-o");
            arguments.Add("csv");
        }

        if (target.ExplicitProxy is not null)
        {
            arguments.Add("-x");
            arguments.Add(target.ExplicitProxy.ToString().TrimEnd('/'));
        }

        arguments.Add(target.Url.ToString());
        CommandResult result = await ProcessRunner.RunAsync(
            context.Tools.Hey, arguments, duration + TimeSpan.FromSeconds(60), cancellationToken, standardOutputPath: csvPath).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"hey exited with {result.ExitCode}: {TextTail.LastLines(result.Output, 5)}");
        }

        return csvPath is null ? null : LatencySummary.FromHeyCsv(csvPath, duration.TotalSeconds);
    }
}
