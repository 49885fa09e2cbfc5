using System.Globalization;

namespace Heddle.Benchmarks.Runner.Load;

/// <summary>Latency percentiles of one constant-rate run, computed from every request's latency.</summary>
internal sealed record LatencySummary(
    int Requests,
    int Non200,
    double DurationSeconds,
    double AchievedRate,
    double MeanMs,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs)
{
    /// <summary>Reads hey's CSV (<c>-o csv</c>): one line per completed request, response time in seconds in column 1.</summary>
    public static LatencySummary FromHeyCsv(string path, double durationSeconds) => FromHeyCsvs([path], durationSeconds);

    /// <summary>Every request of several runs of hey (the rounds of one case), as one population.</summary>
    public static LatencySummary FromHeyCsvs(IEnumerable<string> paths, double durationSeconds)
    {
        var latencies = new List<double>(capacity: 64 * 1024);
        int non200 = 0;
        foreach (string line in paths.SelectMany(File.ReadLines))
        {
            if (line.Length == 0 || !char.IsAsciiDigit(line[0]))
            {
                continue; // header
            }

            string[] columns = line.Split(',');
            if (columns.Length < 7)
            {
                continue;
            }

            latencies.Add(double.Parse(columns[0], CultureInfo.InvariantCulture) * 1000.0);
            if (columns[6] != "200")
            {
                non200++;
            }
        }

        return FromLatencies(latencies, non200, durationSeconds);
    }

    public static LatencySummary FromLatencies(List<double> latenciesMs, int non200, double durationSeconds)
    {
        if (latenciesMs.Count == 0)
        {
            return new LatencySummary(0, non200, durationSeconds, 0, 0, 0, 0, 0, 0, 0);
        }

        latenciesMs.Sort();
        double sum = 0;
        foreach (double latency in latenciesMs)
        {
            sum += latency;
        }

        return new LatencySummary(
            latenciesMs.Count,
            non200,
            durationSeconds,
            latenciesMs.Count / durationSeconds,
            sum / latenciesMs.Count,
            Percentile(latenciesMs, 50),
            Percentile(latenciesMs, 90),
            Percentile(latenciesMs, 99),
            Percentile(latenciesMs, 99.9),
            latenciesMs[^1]);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(List<double> sorted, double percent)
    {
        int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
