using System.Globalization;
using Heddle.Benchmarks.Runner.Load;
using Heddle.Benchmarks.Runner.Report;

namespace Heddle.Benchmarks.Tests.Report;

/// <summary>How a case's rounds become its one result in the report.</summary>
public sealed class RoundMergeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("heddle-rounds-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Latency_IsEveryRequestOfEveryRoundAsOnePopulation()
    {
        // Not an average of the rounds' percentiles: the slower round's requests are the pooled p99.
        CaseResult first = Round(1, latenciesMs: [.. Enumerable.Repeat(1.0, 100)], requestsPerSecond: 100, cpuSeconds: [0.1]);
        CaseResult second = Round(2, latenciesMs: [.. Enumerable.Repeat(3.0, 100)], requestsPerSecond: 100, cpuSeconds: [0.1]);

        CaseResult merged = RoundMerge.Merge([first, second]);

        Assert.Equal(200, merged.Latency!.Requests);
        Assert.Equal(20, merged.Latency.DurationSeconds);
        Assert.Equal(1.0, merged.Latency.P50Ms);
        Assert.Equal(3.0, merged.Latency.P99Ms);
        Assert.Equal(2.0, merged.Latency.MeanMs);
    }

    [Fact]
    public void Throughput_IsAllRequestsOverAllTheTime()
    {
        CaseResult first = Round(1, [1.0], requestsPerSecond: 30_000, cpuSeconds: [0.1]);
        CaseResult second = Round(2, [1.0], requestsPerSecond: 20_000, cpuSeconds: [0.1], wrkSeconds: 20);

        ThroughputSummary throughput = RoundMerge.Merge([first, second]).Throughput!;

        Assert.Equal(30_000 * 10 + 20_000 * 20, throughput.Requests);
        Assert.Equal(30, throughput.Seconds);
        Assert.Equal((30_000.0 * 10 + 20_000 * 20) / 30, throughput.RequestsPerSecond, precision: 6);
    }

    [Fact]
    public void Vcpu_IsAllCpuOverAllRequests_AndPeakRssTheHighest()
    {
        // Rounds of different sizes: not the average of the rounds' vCPU (that would be 0.025 for the first proxy).
        CaseResult first = Round(1, [.. Enumerable.Repeat(1.0, 1000)], 100, cpuSeconds: [0.03, 0.02], rssMb: 29);
        CaseResult second = Round(2, [.. Enumerable.Repeat(1.0, 3000)], 100, cpuSeconds: [0.06, 0.06], rssMb: 27);

        CaseResult merged = RoundMerge.Merge([first, second]);

        Assert.Equal(0.09 / 4000 * 1000, merged.Proxies[0].VcpuPer1000Rps, precision: 9);
        Assert.Equal(0.08 / 4000 * 1000, merged.Proxies[1].VcpuPer1000Rps, precision: 9);
        Assert.Equal(29, merged.Proxies[0].PeakRssMbAtRate);
        Assert.Equal([0.03 / 1000 * 1000, 0.02 / 1000 * 1000], merged.Rounds[0].VcpuPer1000Rps);
        Assert.Equal([0.06 / 3000 * 1000, 0.06 / 3000 * 1000], merged.Rounds[1].VcpuPer1000Rps);
    }

    [Fact]
    public void BackgroundProcesses_ArePooledLikeProxies_AndStayApartFromThem()
    {
        CaseResult first = Round(1, [.. Enumerable.Repeat(1.0, 1000)], 100, cpuSeconds: [0.03]);
        CaseResult second = Round(2, [.. Enumerable.Repeat(1.0, 1000)], 100, cpuSeconds: [0.03]);
        first.Background.Add(Process("control plane", 0.2, 1000, rssMb: 90));
        second.Background.Add(Process("control plane", 0.1, 1000, rssMb: 95));

        CaseResult merged = RoundMerge.Merge([first, second]);

        Assert.Equal(["sidecar 0"], merged.Proxies.Select(p => p.Role));
        ProcessResult controlPlane = Assert.Single(merged.Background);
        Assert.Equal(0.3, controlPlane.CpuSecondsAtRate, precision: 9);
        Assert.Equal(0.3 / 2000 * 1000, controlPlane.VcpuPer1000Rps, precision: 9);
        Assert.Equal(95, controlPlane.PeakRssMbAtRate);
    }

    [Fact]
    public void Rounds_KeepEachRoundsOwnNumbers()
    {
        CaseResult first = Round(1, [1.0, 3.0], requestsPerSecond: 30_000, cpuSeconds: []);
        CaseResult second = Round(2, [2.0, 4.0], requestsPerSecond: 20_000, cpuSeconds: []);

        CaseResult merged = RoundMerge.Merge([first, second]);

        Assert.Equal([1, 2], merged.Rounds.Select(r => r.Round));
        Assert.Equal([3.0, 4.0], merged.Rounds.Select(r => r.P99Ms));
        Assert.Equal([30_000.0, 20_000.0], merged.Rounds.Select(r => r.RequestsPerSecond));
    }

    [Fact]
    public void ARoundThatFailed_IsTheCasesResult_NamingTheRound()
    {
        CaseResult first = Round(1, [1.0], 100, cpuSeconds: []);
        var second = new CaseResult { Id = "heddle-mtls", Title = "Heddle pair, mTLS", Path = "p", Status = CaseStatus.Failed };
        second.SetReason("the mesh did not become ready");

        CaseResult merged = RoundMerge.Merge([first, second]);

        Assert.Equal(CaseStatus.Failed, merged.Status);
        Assert.Equal("round 2: the mesh did not become ready", merged.Reason);
    }

    [Fact]
    public void Notes_InEveryRoundAppearOnce_OthersNameTheirRound()
    {
        CaseResult first = Round(1, [1.0], 100, cpuSeconds: []);
        CaseResult second = Round(2, [1.0], 100, cpuSeconds: []);
        first.Notes.AddRange(["metrics answer 200", "sidecar pid 10"]);
        second.Notes.AddRange(["metrics answer 200", "sidecar pid 20"]);

        CaseResult merged = RoundMerge.Merge([first, second]);

        Assert.Equal(["metrics answer 200", "round 1: sidecar pid 10", "round 2: sidecar pid 20"], merged.Notes);
    }

    /// <summary>A round that ran to the end: hey's CSV with these latencies over 10 s, a wrk run, and one proxy per
    /// CPU figure.</summary>
    private CaseResult Round(int round, double[] latenciesMs, double requestsPerSecond, double[] cpuSeconds, double rssMb = 20, double wrkSeconds = 10)
    {
        string csv = Path.Combine(_directory, $"round-{round}.csv");
        File.WriteAllLines(csv, [
            "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset",
            .. latenciesMs.Select(ms => (ms / 1000).ToString(CultureInfo.InvariantCulture) + ",0,0,0,0,0,200,0"),
        ]);
        var result = new CaseResult
        {
            Id = "heddle-mtls",
            Title = "Heddle pair, mTLS",
            Path = "client → sidecar → sidecar → upstream",
            Status = CaseStatus.Ok,
            LatencyCsv = csv,
            Latency = LatencySummary.FromHeyCsv(csv, 10),
            Throughput = new ThroughputSummary(requestsPerSecond, (long)(requestsPerSecond * wrkSeconds), wrkSeconds, 0, 0, 0.5, 0.7, 1.0),
            Upstream = Process("upstream", 0.01, latenciesMs.Length, rssMb: 12),
        };
        for (int i = 0; i < cpuSeconds.Length; i++)
        {
            result.Proxies.Add(Process("sidecar " + i, cpuSeconds[i], latenciesMs.Length, rssMb));
        }

        return result;
    }

    private static ProcessResult Process(string role, double cpuSeconds, int requests, double rssMb) => new()
    {
        Role = role,
        Name = "heddle-proxy",
        Pid = 1,
        Processes = 1,
        Threads = 14,
        CpuSecondsAtRate = cpuSeconds,
        VcpuPer1000Rps = cpuSeconds / requests * 1000,
        PeakRssMbAtRate = rssMb,
        PeakRssMbOverall = rssMb,
        CpuCoresAtMaxThroughput = 0.5,
    };
}
