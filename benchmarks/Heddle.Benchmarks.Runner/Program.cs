using System.Globalization;
using System.Runtime.InteropServices;
using Heddle.Benchmarks.Runner;
using Heddle.Benchmarks.Runner.Cases;
using Heddle.Benchmarks.Runner.Machine;
using Heddle.Benchmarks.Runner.Processes;
using Heddle.Benchmarks.Runner.Report;
using Heddle.Benchmarks.Runner.Topology;

RunnerOptions? options;
AddressPlan addresses;
try
{
    options = RunnerOptions.Parse(args);
    if (options is null)
    {
        return 0;
    }

    addresses = AddressPlan.Parse(options.Cidr);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"benchmarks/run: {e.Message}");
    return 2;
}

string? repositoryRoot = FindRepositoryRoot(Directory.GetCurrentDirectory());
if (repositoryRoot is null)
{
    Console.Error.WriteLine("benchmarks/run: run from inside the Heddle repository (no Heddle.slnx found above the current directory)");
    return 2;
}

Tools tools = Tools.Find(out string? missing);
if (missing is not null)
{
    Console.Error.WriteLine(missing);
    return 3;
}

if (options.TraceScheduler && tools.Perf is null)
{
    Console.Error.WriteLine("--trace-scheduler needs perf: apt-get install linux-perf");
    return 3;
}

string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
string resultsDirectory = Path.GetFullPath(options.ResultsDirectory ?? Path.Combine("benchmarks", "results", stamp), repositoryRoot);
Directory.CreateDirectory(resultsDirectory);
var context = new BenchContext(options, repositoryRoot, resultsDirectory, addresses, tools);

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    BenchContext.Log("interrupted: stopping every process the runner started");
    cancellation.Cancel();
};
using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    cancellation.Cancel();
});
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildRegistry.KillAll();

IBenchmarkCase[] all = [new DirectCase(), new NginxPairCase(), new HaproxyPairCase(), new HeddlePairCase(mutualTls: false), new HeddlePairCase(mutualTls: true)];
MachineInfo machine = await MachineInfo.CollectAsync(tools, repositoryRoot);
BenchContext.Log($"results: {Path.GetRelativePath(repositoryRoot, resultsDirectory)}; load average {machine.LoadAverageAtStart}");
if (double.TryParse(machine.LoadAverageAtStart.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double load) && load > 0.25 * machine.LogicalCores)
{
    BenchContext.Log($"warning: the machine is busy (load average {load:0.0} on {machine.LogicalCores} cores); the numbers will be noisy");
}
var rounds = new Dictionary<string, List<CaseResult>>();
try
{
    await using Upstream upstream = await Upstream.StartAsync(context, cancellation.Token);
    BenchContext.Log($"upstream: nginx on {addresses.Upstream}");

    // The cases take turns, round after round, so that a drift of the machine's speed during the run is shared by every
    // case instead of landing on whichever ran then.
    for (int round = 1; round <= options.Rounds; round++)
    {
        if (options.Rounds > 1)
        {
            BenchContext.Log($"round {round} of {options.Rounds}");
        }

        BenchContext roundContext = context.ForRound(round);
        foreach (IBenchmarkCase benchmarkCase in all)
        {
            if (options.Cases.Contains(benchmarkCase.Id))
            {
                CaseResult result = await CaseRunner.RunAsync(roundContext, benchmarkCase, upstream, cancellation.Token);
                if (!rounds.TryGetValue(benchmarkCase.Id, out List<CaseResult>? caseRounds))
                {
                    rounds[benchmarkCase.Id] = caseRounds = [];
                }

                caseRounds.Add(result);
                if (!upstream.IsAlive)
                {
                    throw new InvalidOperationException("the upstream died; see " + Path.Combine(resultsDirectory, "upstream"));
                }
            }
        }
    }
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted; no report written");
    return 130;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException)
{
    Console.Error.WriteLine($"benchmarks/run: {e.Message}");
    return 1;
}

machine.LoadAverageAtEnd = MachineInfo.LoadAverage();
List<CaseResult> results = [.. all.Where(c => rounds.ContainsKey(c.Id)).Select(c => RoundMerge.Merge(rounds[c.Id]))];
Comparisons.Apply(results);
string? proxyPath = context.HeddleBuild.ProxyPath;
var report = new BenchmarkReport
{
    GeneratedAt = DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
    Command = "benchmarks/run" + (args.Length == 0 ? string.Empty : " " + string.Join(' ', args)),
    DeviatesFromMethod = options.DeviatesFromMethod,
    Settings = new RunSettings(
        options.Rounds,
        options.Rate, options.Connections, options.Warmup.TotalSeconds, options.Duration.TotalSeconds,
        options.EffectiveThroughputDuration.TotalSeconds, options.WrkThreads, ResponseBody.Length, options.Cidr, Native.ClockTicksPerSecond),
    Machine = machine,
    HeddleProxyExecutable = proxyPath is null ? null : Path.GetRelativePath(repositoryRoot, proxyPath),
    HeddleProxyExecutableMb = proxyPath is not null && File.Exists(proxyPath) ? new FileInfo(proxyPath).Length / 1024.0 / 1024.0 : null,
    Cases = results,
    Budgets = Budgets.Evaluate(results),
    ResultsDirectory = Path.GetRelativePath(repositoryRoot, resultsDirectory),
};

string reportDirectory = Path.GetFullPath(options.ReportDirectory, repositoryRoot);
Directory.CreateDirectory(reportDirectory);
string notesPath = Path.Combine(repositoryRoot, MarkdownReport.NotesFile);
string? notes = File.Exists(notesPath) ? await File.ReadAllTextAsync(notesPath) : null;
string markdownPath = Path.Combine(reportDirectory, "performance.md");
string jsonPath = Path.Combine(reportDirectory, "performance.json");
await File.WriteAllTextAsync(markdownPath, MarkdownReport.Render(report, notes));
await File.WriteAllTextAsync(jsonPath, JsonReport.Render(report));
File.Copy(jsonPath, Path.Combine(resultsDirectory, "performance.json"), overwrite: true);

Console.WriteLine();
foreach (CaseResult result in results)
{
    string line = result.Status == CaseStatus.Ok
        ? $"{result.Title,-30} p50 {result.Latency?.P50Ms,6:0.00} ms  p99 {result.Latency?.P99Ms,6:0.00} ms  max {result.Throughput?.RequestsPerSecond,8:#,0} req/s"
        : $"{result.Title,-30} {result.Status}: {result.Reason}";
    Console.WriteLine(line);
}

foreach (BudgetResult budget in report.Budgets)
{
    Console.WriteLine($"budget: {budget.Budget}: {budget.Result}");
}

Console.WriteLine($"report: {Path.GetRelativePath(repositoryRoot, markdownPath)}, {Path.GetRelativePath(repositoryRoot, jsonPath)}");
return results.Exists(r => r.Status == CaseStatus.Failed) ? 1 : 0;

static string? FindRepositoryRoot(string start)
{
    for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Heddle.slnx")))
        {
            return directory.FullName;
        }
    }

    return null;
}
