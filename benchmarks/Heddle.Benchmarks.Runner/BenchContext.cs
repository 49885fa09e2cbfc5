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

    public RunnerOptions Options { get; }

    public string RepositoryRoot { get; }

    public string ResultsDirectory { get; }

    public AddressPlan Addresses { get; }

    public Tools Tools { get; }

    /// <summary>The Native AOT heddle-proxy, published at most once per run.</summary>
    public HeddleBuild HeddleBuild { get; }

    public string ConfigsDirectory => Path.Combine(RepositoryRoot, "benchmarks", "configs");

    public string CaseDirectory(string caseId)
    {
        string directory = Path.Combine(ResultsDirectory, caseId);
        Directory.CreateDirectory(directory);
        return directory;
    }

    public static void Log(string message) =>
        Console.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
}
