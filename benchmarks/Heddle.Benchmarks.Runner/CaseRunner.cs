using System.Diagnostics;
using Heddle.Benchmarks.Runner.Cases;
using Heddle.Benchmarks.Runner.Load;
using Heddle.Benchmarks.Runner.Processes;
using Heddle.Benchmarks.Runner.Report;
using Heddle.Benchmarks.Runner.Topology;

namespace Heddle.Benchmarks.Runner;

/// <summary>Runs one round of one case: start, verify, warm up, constant rate (latency, CPU, RSS), max throughput, stop
/// (and, in the first round, the sidecars' start-up).</summary>
internal static class CaseRunner
{
    /// <summary>How long the runner waits for a case's background processes to go quiet before measuring anyway.</summary>
    private static readonly TimeSpan QuietLimit = TimeSpan.FromSeconds(60);

    public static async Task<CaseResult> RunAsync(BenchContext context, IBenchmarkCase benchmarkCase, Upstream upstream, CancellationToken cancellationToken)
    {
        var result = new CaseResult { Id = benchmarkCase.Id, Title = benchmarkCase.Title, Path = benchmarkCase.Path };
        BenchContext.Log($"{benchmarkCase.Title}: {benchmarkCase.Path}");
        RunningTopology? topology = null;
        try
        {
            string? unavailable = await benchmarkCase.UnavailableReasonAsync(context, cancellationToken).ConfigureAwait(false);
            if (unavailable is not null)
            {
                result.Status = CaseStatus.NotAvailable;
                result.SetReason(unavailable);
                BenchContext.Log($"  not available yet: {unavailable}");
                return result;
            }

            string directory = context.CaseDirectory(benchmarkCase.Id);
            result.ResultsDirectory = Path.GetRelativePath(context.RepositoryRoot, directory);
            topology = await benchmarkCase.StartAsync(context, cancellationToken).ConfigureAwait(false);
            result.Target = topology.Target.ToString();
            result.Notes.AddRange(topology.Notes);
            await Verifier.VerifyAsync(topology.Target, topology.VerifyTimeout, cancellationToken).ConfigureAwait(false);

            await MeasureAsync(context, topology, upstream, result, directory, cancellationToken).ConfigureAwait(false);
            if (topology.MeasureStartup is not null && context.Round == 1)
            {
                BenchContext.Log($"  sidecar start-up: {context.Options.StartupRepetitions} fresh sidecars against the running control plane");
                result.Startup = await topology.MeasureStartup(cancellationToken).ConfigureAwait(false);
            }

            result.Status = CaseStatus.Ok;
        }
        catch (CaseUnavailableException e)
        {
            result.Status = CaseStatus.NotAvailable;
            result.SetReason(e.Message);
            BenchContext.Log($"  not available yet: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result.Status = CaseStatus.Failed;
            result.SetReason(e.Message);
            BenchContext.Log($"  FAILED: {e.Message}");
        }
        finally
        {
            if (topology is not null)
            {
                await topology.DisposeAsync().ConfigureAwait(false);
            }
        }

        return result;
    }

    private static async Task MeasureAsync(
        BenchContext context, RunningTopology topology, Upstream upstream, CaseResult result, string directory, CancellationToken cancellationToken)
    {
        RunnerOptions options = context.Options;
        if (topology.Background.Count > 0)
        {
            string background = string.Join(" and ", topology.Background.Select(p => p.Role));
            BenchContext.Log($"  waiting for {background} to go quiet");
            TimeSpan? quiet = await QuietWait.WaitAsync(topology.Background, QuietLimit, cancellationToken).ConfigureAwait(false);
            result.Notes.Add(quiet is { } waited
                ? $"{background} quiet (≤ {QuietWait.MaxShareOfCore:0%} of a core for {QuietWait.QuietReadings} s) after {waited.TotalSeconds:0} s"
                : $"{background} still used more than {QuietWait.MaxShareOfCore:0%} of a core after {QuietLimit.TotalSeconds:0} s; measured anyway");
        }

        if (options.Warmup > TimeSpan.Zero)
        {
            BenchContext.Log($"  warm-up: {options.Rate} req/s for {DurationText.Human(options.Warmup)}");
            await HeyLoad.RunAsync(context, topology.Target, options.Warmup, csvPath: null, cancellationToken).ConfigureAwait(false);
        }

        var measured = new List<MeasuredProcess>(topology.Proxies) { upstream.Measured };
        measured.AddRange(topology.Background);
        BenchContext.Log($"  constant rate: {options.Rate} req/s over {options.Connections} connections for {DurationText.Human(options.Duration)} (hey)");
        SchedulerTrace? trace = options.TraceScheduler ? SchedulerTrace.Start(context.Tools.Perf!, directory, options.Duration, cancellationToken) : null;
        TreeSample[] before = SampleAll(measured);
        result.LatencyCsv = Path.Combine(directory, "latencies.csv");
        LatencySummary latency = (await HeyLoad.RunAsync(
            context, topology.Target, options.Duration, result.LatencyCsv, cancellationToken).ConfigureAwait(false))!;
        TreeSample[] after = SampleAll(measured);
        if (trace is not null)
        {
            await trace.FinishAsync(measured).ConfigureAwait(false);
        }

        EnsureAlive(measured);
        result.Latency = latency;
        if (latency.Requests == 0)
        {
            throw new InvalidOperationException("no request completed at the constant rate");
        }

        var processes = new ProcessResult[measured.Count];
        for (int i = 0; i < measured.Count; i++)
        {
            double cpu = after[i].CpuSeconds - before[i].CpuSeconds;
            processes[i] = new ProcessResult
            {
                Role = measured[i].Role,
                Name = measured[i].Name,
                Pid = measured[i].RootPid,
                Processes = after[i].Processes,
                Threads = after[i].Threads,
                CpuSecondsAtRate = cpu,
                VcpuPer1000Rps = cpu / latency.Requests * 1000.0,
                PeakRssMbAtRate = after[i].PeakRssKb / 1024.0,
            };
        }

        BenchContext.Log($"    p50 {latency.P50Ms:0.000} ms, p99 {latency.P99Ms:0.000} ms, {latency.AchievedRate:0} req/s achieved");

        TimeSpan throughputDuration = options.EffectiveThroughputDuration;
        BenchContext.Log($"  max throughput: wrk -t{options.WrkThreads} -c{options.Connections} for {DurationText.Human(throughputDuration)}");
        before = SampleAll(measured);
        var clock = Stopwatch.StartNew();
        result.Throughput = await WrkLoad.RunAsync(
            context, topology.Target, throughputDuration, Path.Combine(directory, "wrk.txt"), cancellationToken).ConfigureAwait(false);
        double seconds = clock.Elapsed.TotalSeconds;
        after = SampleAll(measured);
        EnsureAlive(measured);
        for (int i = 0; i < measured.Count; i++)
        {
            processes[i].CpuCoresAtMaxThroughput = (after[i].CpuSeconds - before[i].CpuSeconds) / seconds;
            processes[i].PeakRssMbOverall = after[i].PeakRssKb / 1024.0;
        }

        BenchContext.Log($"    {result.Throughput.RequestsPerSecond:0} req/s");
        if (result.Throughput.Non2xx > 0 || result.Throughput.SocketErrors > 0)
        {
            result.Notes.Add($"wrk saw {result.Throughput.Non2xx} non-2xx responses and {result.Throughput.SocketErrors} socket errors");
        }

        if (latency.Non200 > 0)
        {
            result.Notes.Add($"{latency.Non200} of {latency.Requests} constant-rate responses were not 200");
        }

        double expected = options.Rate * options.Duration.TotalSeconds;
        if (latency.Requests < expected * 0.95)
        {
            result.Notes.Add($"only {latency.Requests} of ~{expected:0} requests completed at the constant rate (failed requests are not in hey's CSV, or the rate was not sustained)");
        }

        int proxies = topology.Proxies.Count;
        result.Proxies.AddRange(processes[..proxies]);
        result.Upstream = processes[proxies];
        result.Background.AddRange(processes[(proxies + 1)..]);
    }

    private static TreeSample[] SampleAll(List<MeasuredProcess> processes)
    {
        var samples = new TreeSample[processes.Count];
        for (int i = 0; i < processes.Count; i++)
        {
            samples[i] = processes[i].Sample();
        }

        return samples;
    }

    private static void EnsureAlive(List<MeasuredProcess> processes)
    {
        foreach (MeasuredProcess process in processes)
        {
            if (!process.IsAlive)
            {
                throw new InvalidOperationException($"{process.Role} ({process.Name}, pid {process.RootPid}) died during the run");
            }
        }
    }
}
