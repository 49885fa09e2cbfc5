using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Every benchmark in this assembly; pick with --filter, e.g. --filter '*Snapshot*'. Results go to benchmarks/results/micro.
string? root = FindRepositoryRoot(AppContext.BaseDirectory) ?? FindRepositoryRoot(Directory.GetCurrentDirectory());
if (root is not null)
{
    // BenchmarkDotNet finds the project to rebuild from the working directory.
    Directory.SetCurrentDirectory(Path.Combine(root, "benchmarks", "Heddle.Benchmarks.Micro"));
}

string artifacts = Path.Combine(root ?? Directory.GetCurrentDirectory(), "benchmarks", "results", "micro");
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args, DefaultConfig.Instance.WithArtifactsPath(artifacts));

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
