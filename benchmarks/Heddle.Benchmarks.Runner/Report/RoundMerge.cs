using Heddle.Benchmarks.Runner.Load;

namespace Heddle.Benchmarks.Runner.Report;

/// <summary>
/// One result per case from its rounds: latencies pooled (every request of every round), throughput as all requests
/// over all the time, CPU as all CPU over all requests, memory as the highest seen. Each round's own numbers are kept
/// beside. A case that did not run to the end in some round is reported as that round's result.
/// </summary>
internal static class RoundMerge
{
    public static CaseResult Merge(IReadOnlyList<CaseResult> rounds)
    {
        CaseResult first = rounds[0];
        for (int i = 0; i < rounds.Count; i++)
        {
            if (rounds[i].Status != CaseStatus.Ok)
            {
                if (rounds.Count > 1 && rounds[i].Reason is { } reason)
                {
                    rounds[i].Reason = $"round {i + 1}: {reason}";
                }

                return rounds[i];
            }
        }

        var merged = new CaseResult
        {
            Id = first.Id,
            Title = first.Title,
            Path = first.Path,
            Status = CaseStatus.Ok,
            Target = first.Target,
            Startup = first.Startup,
            ResultsDirectory = rounds.Count == 1 ? first.ResultsDirectory : System.IO.Path.GetDirectoryName(first.ResultsDirectory),
        };

        double seconds = rounds.Sum(r => r.Latency!.DurationSeconds);
        merged.Latency = LatencySummary.FromHeyCsvs(rounds.Select(r => r.LatencyCsv!), seconds);
        merged.Throughput = MergeThroughput(rounds.Select(r => r.Throughput!).ToList());
        for (int i = 0; i < first.Proxies.Count; i++)
        {
            merged.Proxies.Add(MergeProcess(rounds.Select(r => r.Proxies[i]).ToList(), merged.Latency.Requests));
        }

        merged.Upstream = MergeProcess(rounds.Select(r => r.Upstream!).ToList(), merged.Latency.Requests);
        for (int i = 0; i < first.Background.Count; i++)
        {
            merged.Background.Add(MergeProcess(rounds.Select(r => r.Background[i]).ToList(), merged.Latency.Requests));
        }

        for (int i = 0; i < rounds.Count; i++)
        {
            CaseResult round = rounds[i];
            merged.Rounds.Add(new RoundSummary(
                i + 1, round.Latency!.P50Ms, round.Latency.P99Ms, round.Throughput!.RequestsPerSecond, [.. round.Proxies.Select(p => p.VcpuPer1000Rps)]));
            foreach (string note in round.Notes)
            {
                string text = rounds.All(r => r.Notes.Contains(note)) ? note : $"round {i + 1}: {note}";
                if (!merged.Notes.Contains(text))
                {
                    merged.Notes.Add(text);
                }
            }
        }

        return merged;
    }

    private static ThroughputSummary MergeThroughput(List<ThroughputSummary> rounds)
    {
        long requests = rounds.Sum(t => t.Requests);
        double seconds = rounds.Sum(t => t.Seconds);
        return new ThroughputSummary(
            seconds > 0 ? requests / seconds : 0,
            requests,
            seconds,
            rounds.Sum(t => t.Non2xx),
            rounds.Sum(t => t.SocketErrors),
            rounds.Average(t => t.LatencyP50Ms),
            rounds.Average(t => t.LatencyP90Ms),
            rounds.Average(t => t.LatencyP99Ms));
    }

    private static ProcessResult MergeProcess(List<ProcessResult> rounds, int requests)
    {
        ProcessResult first = rounds[0];
        double cpu = rounds.Sum(p => p.CpuSecondsAtRate);
        return first with
        {
            CpuSecondsAtRate = cpu,
            VcpuPer1000Rps = requests > 0 ? cpu / requests * 1000.0 : 0,
            PeakRssMbAtRate = rounds.Max(p => p.PeakRssMbAtRate),
            CpuCoresAtMaxThroughput = rounds.Average(p => p.CpuCoresAtMaxThroughput),
            PeakRssMbOverall = rounds.Max(p => p.PeakRssMbOverall),
        };
    }
}
