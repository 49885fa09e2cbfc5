using System.Globalization;
using Heddle.Benchmarks.Runner.Cases;
using Heddle.Benchmarks.Runner.Machine;
using Heddle.Benchmarks.Runner.Topology;

namespace Heddle.Benchmarks.Runner;

/// <summary>What every case needs: settings, paths, addresses, tools and the shared upstream.</summary>
internal sealed class BenchContext
{
    public BenchContext(RunnerOptions options, string repositoryRoot, string resultsDirectory, AddressPlan addresses, Tools tools)
    {
        Options = options;
        RepositoryRoot = repositoryRoot;
        ResultsDirectory = resultsDirectory;
        Addresses = addresses;
        Tools = tools;
        HeddleBuild = new HeddleBuild(this);
    }

    private BenchContext(BenchContext run, int round)
    {
        Options = run.Options;
        RepositoryRoot = run.RepositoryRoot;
        ResultsDirectory = run.ResultsDirectory;
        Addresses = run.Addresses;
        Tools = run.Tools;
        HeddleBuild = run.HeddleBuild;
        Round = round;
    }

    /// <summary>Which round of the run this context measures (1 for the first).</summary>
    public int Round { get; } = 1;

    /// <summary>The same run's context for another round: the same settings, tools and proxy build.</summary>
    public BenchContext ForRound(int round) => new(this, round);

    public RunnerOptions Options { get; }

    public string RepositoryRoot { get; }

    public string ResultsDirectory { get; }

    public AddressPlan Addresses { get; }

    public Tools Tools { get; }

    /// <summary>The Native AOT heddle-proxy, published at most once per run.</summary>
    public HeddleBuild HeddleBuild { get; }

    public string ConfigsDirectory => Path.Combine(RepositoryRoot, "benchmarks", "configs");

    /// <summary>This round's directory of a case (the case's own directory when the run has one round).</summary>
    public string CaseDirectory(string caseId)
    {
        string directory = Options.Rounds == 1
            ? Path.Combine(ResultsDirectory, caseId)
            : Path.Combine(ResultsDirectory, caseId, "round-" + Round.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        return directory;
    }

    public static void Log(string message) =>
        Console.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
}
