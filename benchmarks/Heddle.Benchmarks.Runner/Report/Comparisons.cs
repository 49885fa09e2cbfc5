namespace Heddle.Benchmarks.Runner.Report;

/// <summary>Fills in what a case is measured against: added latency vs direct, throughput vs the nginx and HAProxy pairs.</summary>
internal static class Comparisons
{
    public const string Direct = "direct";
    public const string NginxPair = "nginx-pair";
    public const string HaproxyPair = "haproxy-pair";
    public const string HeddlePlaintext = "heddle-plaintext";
    public const string HeddleMutualTls = "heddle-mtls";

    public static void Apply(IReadOnlyList<CaseResult> cases)
    {
        CaseResult? direct = Find(cases, Direct);
        double? nginx = Find(cases, NginxPair)?.Throughput?.RequestsPerSecond;
        double? haproxy = Find(cases, HaproxyPair)?.Throughput?.RequestsPerSecond;
        foreach (CaseResult result in cases)
        {
            if (result.Latency is { } latency && direct?.Latency is { } floor)
            {
                result.AddedLatency = new AddedLatency(
                    latency.P50Ms - floor.P50Ms, latency.P90Ms - floor.P90Ms, latency.P99Ms - floor.P99Ms, latency.P999Ms - floor.P999Ms);
            }

            if (result.Throughput is { } throughput)
            {
                result.ThroughputVsNginxPair = nginx is > 0 ? throughput.RequestsPerSecond / nginx : null;
                result.ThroughputVsHaproxyPair = haproxy is > 0 ? throughput.RequestsPerSecond / haproxy : null;
            }
        }
    }

    public static CaseResult? Find(IReadOnlyList<CaseResult> cases, string id)
    {
        foreach (CaseResult result in cases)
        {
            if (result.Id == id)
            {
                return result;
            }
        }

        return null;
    }

    /// <summary>Only a case that ran to the end counts.</summary>
    public static CaseResult? FindOk(IReadOnlyList<CaseResult> cases, string id) =>
        Find(cases, id) is { Status: CaseStatus.Ok } result ? result : null;
}
