using System.Globalization;
using Heddle.Benchmarks.Runner.Cases;

namespace Heddle.Benchmarks.Runner.Report;

/// <summary>The budgets of the performance issue, judged on the numbers of this run (measured, never assumed).</summary>
internal static class Budgets
{
    public const string Pass = "pass";
    public const string Fail = "FAIL";

    public const double ThroughputPlaintextVsNginx = 1.0;
    public const double ThroughputMutualTlsVsNginx = 0.8;
    public const double VcpuPer1000Rps = 0.15;
    public const double PeakRssMb = 30;
    public const double ReadyMs = 100;

    public static List<BudgetResult> Evaluate(IReadOnlyList<CaseResult> cases)
    {
        CaseResult? nginx = Comparisons.FindOk(cases, Comparisons.NginxPair);
        CaseResult? plaintext = Comparisons.FindOk(cases, Comparisons.HeddlePlaintext);
        CaseResult? mutualTls = Comparisons.FindOk(cases, Comparisons.HeddleMutualTls);
        return
        [
            Throughput("max throughput, Heddle pair plaintext vs nginx pair", ThroughputPlaintextVsNginx, plaintext, nginx, cases, Comparisons.HeddlePlaintext),
            Throughput("max throughput, Heddle pair mTLS vs nginx pair (plaintext)", ThroughputMutualTlsVsNginx, mutualTls, nginx, cases, Comparisons.HeddleMutualTls),
            AddedP99("added p99 at the constant rate, Heddle pair plaintext", plaintext, nginx, cases, Comparisons.HeddlePlaintext),
            AddedP99("added p99 at the constant rate, Heddle pair mTLS", mutualTls, nginx, cases, Comparisons.HeddleMutualTls),
            Vcpu(mutualTls, plaintext, cases),
            PeakRss("peak RSS per sidecar at the constant rate, plaintext", plaintext, cases, Comparisons.HeddlePlaintext),
            PeakRss("peak RSS per sidecar at the constant rate, mTLS + metrics", mutualTls, cases, Comparisons.HeddleMutualTls),
            Ready(mutualTls?.Startup is not null ? mutualTls : plaintext, cases),
        ];
    }

    private static BudgetResult Throughput(string budget, double ratio, CaseResult? heddle, CaseResult? nginx, IReadOnlyList<CaseResult> cases, string heddleId)
    {
        string target = $"≥ {F(ratio, "0.0")}× the nginx pair";
        if (heddle?.Throughput is null || nginx?.Throughput is null || heddle.ThroughputVsNginxPair is not { } measured)
        {
            return NotMeasured(budget, target, cases, heddleId, Comparisons.NginxPair);
        }

        return new BudgetResult(
            budget,
            target,
            $"{F(measured, "0.00")}× ({F(heddle.Throughput.RequestsPerSecond, "#,0")} vs {F(nginx.Throughput.RequestsPerSecond, "#,0")} req/s)",
            measured >= ratio ? Pass : Fail);
    }

    private static BudgetResult AddedP99(string budget, CaseResult? heddle, CaseResult? nginx, IReadOnlyList<CaseResult> cases, string heddleId)
    {
        if (heddle?.AddedLatency is null || nginx?.AddedLatency is null)
        {
            return NotMeasured(budget, "≤ the nginx pair's", cases, heddleId, Comparisons.NginxPair, Comparisons.Direct);
        }

        double limit = nginx.AddedLatency.P99Ms;
        return new BudgetResult(
            budget,
            $"≤ the nginx pair's ({Ms(limit)})",
            Ms(heddle.AddedLatency.P99Ms),
            heddle.AddedLatency.P99Ms <= limit ? Pass : Fail);
    }

    private static BudgetResult Vcpu(CaseResult? mutualTls, CaseResult? plaintext, IReadOnlyList<CaseResult> cases)
    {
        const string budget = "vCPU per 1,000 req/s per sidecar, mTLS + metrics";
        string target = $"≤ {F(VcpuPer1000Rps, "0.00")}";
        if (mutualTls is null || mutualTls.Proxies.Count == 0)
        {
            BudgetResult missing = NotMeasured(budget, target, cases, Comparisons.HeddleMutualTls);
            return plaintext is { Proxies.Count: > 0 }
                ? missing with { Measured = $"plaintext, for reference: {PerSidecar(plaintext, p => F(p.VcpuPer1000Rps, "0.000"))}" }
                : missing;
        }

        double worst = mutualTls.Proxies.Max(p => p.VcpuPer1000Rps);
        return new BudgetResult(budget, target, PerSidecar(mutualTls, p => F(p.VcpuPer1000Rps, "0.000")), worst <= VcpuPer1000Rps ? Pass : Fail);
    }

    private static BudgetResult PeakRss(string budget, CaseResult? heddle, IReadOnlyList<CaseResult> cases, string heddleId)
    {
        string target = $"≤ {F(PeakRssMb, "0")} MB";
        if (heddle is null || heddle.Proxies.Count == 0)
        {
            return NotMeasured(budget, target, cases, heddleId);
        }

        double worst = heddle.Proxies.Max(p => p.PeakRssMbAtRate);
        return new BudgetResult(budget, target, PerSidecar(heddle, p => F(p.PeakRssMbAtRate, "0.0") + " MB"), worst <= PeakRssMb ? Pass : Fail);
    }

    private static BudgetResult Ready(CaseResult? heddle, IReadOnlyList<CaseResult> cases)
    {
        const string budget = "sidecar ready after start (control plane already running)";
        string target = $"< {F(ReadyMs, "0")} ms";
        if (heddle?.Startup is not { } startup || startup.MedianReadyMs is not { } median)
        {
            string why = heddle?.Startup?.Problem ?? "no Heddle case ran";
            return heddle is null ? NotMeasured(budget, target, cases, Comparisons.HeddlePlaintext) : new BudgetResult(budget, target, "—", $"not measured: {why}");
        }

        string measured = $"median {F(median, "0.0")} ms, max {F(startup.MaxReadyMs ?? median, "0.0")} ms over {startup.ReadyMs.Count} starts ({heddle.Title})";
        string result = startup.Problem is not null ? $"{Fail} ({startup.Problem})" : median < ReadyMs ? Pass : Fail;
        return new BudgetResult(budget, target, measured, result);
    }

    private static BudgetResult NotMeasured(string budget, string target, IReadOnlyList<CaseResult> cases, params string[] needed)
    {
        var reasons = new List<string>();
        foreach (string id in needed)
        {
            CaseResult? result = Comparisons.Find(cases, id);
            if (result is null)
            {
                reasons.Add($"{id} not run");
            }
            else if (result.Status != CaseStatus.Ok)
            {
                reasons.Add($"{result.Title}: {result.Status}");
            }
        }

        return new BudgetResult(budget, target, "—", "not measured" + (reasons.Count > 0 ? $" ({string.Join("; ", reasons)})" : string.Empty));
    }

    private static string PerSidecar(CaseResult result, Func<ProcessResult, string> value) =>
        string.Join(", ", result.Proxies.Select(p => $"{p.Role} {value(p)}"));

    public static string Ms(double value) => (value >= 0 ? "+" : "−") + F(Math.Abs(value), "0.00") + " ms";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
