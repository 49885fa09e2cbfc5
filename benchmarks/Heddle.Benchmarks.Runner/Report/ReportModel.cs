using Heddle.Benchmarks.Runner.Cases;
using Heddle.Benchmarks.Runner.Load;
using Heddle.Benchmarks.Runner.Machine;

namespace Heddle.Benchmarks.Runner.Report;

/// <summary>Everything one run measured; serialized as docs/performance.json and rendered as docs/performance.md.</summary>
internal sealed record BenchmarkReport
{
    public required string GeneratedAt { get; init; }

    public required string Command { get; init; }

    /// <summary>True when durations, rate or connections differ from the method (e.g. a smoke run).</summary>
    public required bool DeviatesFromMethod { get; init; }

    public required RunSettings Settings { get; init; }

    public required MachineInfo Machine { get; init; }

    public string? HeddleProxyExecutable { get; init; }

    public double? HeddleProxyExecutableMb { get; init; }

    public required IReadOnlyList<CaseResult> Cases { get; init; }

    public required IReadOnlyList<BudgetResult> Budgets { get; init; }

    public required string ResultsDirectory { get; init; }
}

internal sealed record RunSettings(
    int Rounds,
    int Rate,
    int Connections,
    double WarmupSeconds,
    double DurationSeconds,
    double ThroughputDurationSeconds,
    int WrkThreads,
    int ResponseBodyBytes,
    string Cidr,
    long ClockTicksPerSecond);

/// <summary>Status values of a case.</summary>
internal static class CaseStatus
{
    public const string Ok = "ok";
    public const string NotAvailable = "not available yet";
    public const string Failed = "failed";
}

/// <summary>The measurements of one case.</summary>
internal sealed class CaseResult
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required string Path { get; init; }

    public string Status { get; set; } = CaseStatus.Failed;

    /// <summary>One line: why the case did not run or failed.</summary>
    public string? Reason { get; set; }

    /// <summary>More about <see cref="Reason"/>, e.g. the tail of a log.</summary>
    public string? Details { get; set; }

    /// <summary>Sets <see cref="Reason"/> to the first line of a message and <see cref="Details"/> to the rest.</summary>
    public void SetReason(string message)
    {
        string trimmed = message.Trim();
        int newline = trimmed.IndexOf('\n');
        Reason = newline < 0 ? trimmed : trimmed[..newline].TrimEnd();
        Details = newline < 0 ? null : trimmed[(newline + 1)..].Trim();
    }

    public string? Target { get; set; }

    /// <summary>At the constant rate, from every request's latency (hey), pooled over the rounds.</summary>
    public LatencySummary? Latency { get; set; }

    /// <summary>One round's per-request latencies (hey's CSV); the pooled result reads every round's.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? LatencyCsv { get; set; }

    /// <summary>Each round's own numbers, in the order they ran.</summary>
    public List<RoundSummary> Rounds { get; } = [];

    /// <summary>Latency minus the direct case's, percentile by percentile.</summary>
    public AddedLatency? AddedLatency { get; set; }

    /// <summary>Maximum throughput (wrk).</summary>
    public ThroughputSummary? Throughput { get; set; }

    public double? ThroughputVsNginxPair { get; set; }

    public double? ThroughputVsHaproxyPair { get; set; }

    public List<ProcessResult> Proxies { get; } = [];

    public ProcessResult? Upstream { get; set; }

    /// <summary>Processes of the case that are not on the request path (Heddle's control plane and <c>heddle up</c>).</summary>
    public List<ProcessResult> Background { get; } = [];

    public StartupMeasurement? Startup { get; set; }

    public List<string> Notes { get; } = [];

    public string? ResultsDirectory { get; set; }
}

internal sealed record AddedLatency(double P50Ms, double P90Ms, double P99Ms, double P999Ms);

/// <summary>One round of a case: its constant-rate percentiles, its maximum throughput and each proxy's vCPU per 1,000
/// req/s (in <see cref="CaseResult.Proxies"/>' order).</summary>
internal sealed record RoundSummary(int Round, double P50Ms, double P99Ms, double RequestsPerSecond, IReadOnlyList<double> VcpuPer1000Rps);

/// <summary>CPU and memory of one proxy (or the upstream, or a background process) during a case.</summary>
internal sealed record ProcessResult
{
    public required string Role { get; init; }

    public required string Name { get; init; }

    public required int Pid { get; init; }

    public required int Processes { get; init; }

    public required int Threads { get; init; }

    /// <summary>utime + stime over the constant-rate window.</summary>
    public required double CpuSecondsAtRate { get; init; }

    /// <summary>CPU seconds per 1,000 requests at the constant rate = vCPU used per 1,000 requests/s.</summary>
    public required double VcpuPer1000Rps { get; init; }

    /// <summary>VmHWM (summed over the process tree) after the constant-rate window.</summary>
    public required double PeakRssMbAtRate { get; init; }

    /// <summary>Average cores busy during the maximum-throughput run.</summary>
    public double? CpuCoresAtMaxThroughput { get; set; }

    /// <summary>VmHWM after the maximum-throughput run.</summary>
    public double? PeakRssMbOverall { get; set; }
}

/// <summary>One budget of the performance issue, judged on this run's numbers.</summary>
internal sealed record BudgetResult(string Budget, string Target, string Measured, string Result);
