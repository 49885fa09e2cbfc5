using System.Globalization;
using System.Text.RegularExpressions;
using Heddle.Benchmarks.Runner.Processes;

namespace Heddle.Benchmarks.Runner.Load;

/// <summary>What wrk measured at maximum throughput.</summary>
internal sealed record ThroughputSummary(
    double RequestsPerSecond,
    long Requests,
    double Seconds,
    long Non2xx,
    long SocketErrors,
    double LatencyP50Ms,
    double LatencyP90Ms,
    double LatencyP99Ms);

/// <summary>Maximum throughput with wrk (closed loop, fixed connections); an explicit proxy gets absolute-form requests from a Lua script.</summary>
internal static partial class WrkLoad
{
    public static async Task<ThroughputSummary> RunAsync(
        BenchContext context, LoadTarget target, TimeSpan duration, string outputPath, CancellationToken cancellationToken)
    {
        RunnerOptions options = context.Options;
        var arguments = new List<string>
        {
            "-t", options.WrkThreads.ToString(CultureInfo.InvariantCulture),
            "-c", options.Connections.ToString(CultureInfo.InvariantCulture),
            "-d", DurationText.ForTools(duration),
            "--timeout", "10s",
            "--latency",
        };
        Dictionary<string, string>? environment = null;
        string url = target.Url.ToString();
        if (target.ExplicitProxy is not null)
        {
            // wrk connects to the URL's host; the script makes the request line absolute-form (and the Host header match),
            // which is what a client configured with HTTP_PROXY sends.
            arguments.Add("-s");
            arguments.Add(Path.Combine(context.ConfigsDirectory, "wrk", "explicit-proxy.lua"));
            environment = new Dictionary<string, string>
            {
                ["HEDDLE_BENCH_TARGET"] = target.Url.ToString(),
                ["HEDDLE_BENCH_HOST"] = target.Url.Authority,
            };
            url = target.ExplicitProxy.ToString();
        }

        arguments.Add(url);
        CommandResult result = await ProcessRunner.RunAsync(
            context.Tools.Wrk, arguments, duration + TimeSpan.FromSeconds(60), cancellationToken, environment: environment).ConfigureAwait(false);
        await File.WriteAllTextAsync(outputPath, result.Output, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {result.ExitCode}: {TextTail.LastLines(result.Output, 5)}");
        }

        return Parse(result.StandardOutput);
    }

    public static ThroughputSummary Parse(string output)
    {
        Match total = TotalPattern().Match(output);
        Match rate = RatePattern().Match(output);
        if (!total.Success || !rate.Success)
        {
            throw new FormatException($"cannot read wrk's output: {TextTail.LastLines(output, 8)}");
        }

        Match non2xx = Non2xxPattern().Match(output);
        long socketErrors = 0;
        Match errors = SocketErrorsPattern().Match(output);
        if (errors.Success)
        {
            for (int group = 1; group <= 4; group++)
            {
                socketErrors += long.Parse(errors.Groups[group].Value, CultureInfo.InvariantCulture);
            }
        }

        return new ThroughputSummary(
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture),
            ToMilliseconds(double.Parse(total.Groups[2].Value, CultureInfo.InvariantCulture), total.Groups[3].Value) / 1000.0,
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            socketErrors,
            Percentile(output, "50%"),
            Percentile(output, "90%"),
            Percentile(output, "99%"));
    }

    private static double Percentile(string output, string label)
    {
        // "     99%  512.00us" in the "Latency Distribution" block.
        Match match = Regex.Match(output, @"^\s+" + Regex.Escape(label) + @"\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            return double.NaN;
        }

        return ToMilliseconds(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value);
    }

    private static double ToMilliseconds(double value, string unit) => unit switch
    {
        "us" => value / 1000.0,
        "ms" => value,
        "s" => value * 1000.0,
        _ => value * 60_000.0,
    };

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)(us|ms|s|m),")]
    private static partial Regex TotalPattern();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RatePattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xxPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();
}
