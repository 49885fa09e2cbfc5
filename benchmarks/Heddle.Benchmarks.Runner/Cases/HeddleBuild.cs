using Heddle.Benchmarks.Runner.Processes;

namespace Heddle.Benchmarks.Runner.Cases;

/// <summary>The heddle-proxy executable the Heddle cases run: the Native AOT publish, done once per run.</summary>
internal sealed class HeddleBuild(BenchContext context)
{
    public const string PublishDirectory = "artifacts/publish/heddle-proxy";

    private Task<string>? _proxy;

    /// <summary>Path of the executable once known, for the report.</summary>
    public string? ProxyPath { get; private set; }

    public static string ProxyProject(string repositoryRoot) => Path.Combine(repositoryRoot, "src", "Heddle.Proxy", "Heddle.Proxy.csproj");

    public Task<string> GetProxyAsync(CancellationToken cancellationToken) => _proxy ??= LocateOrPublishAsync(cancellationToken);

    private async Task<string> LocateOrPublishAsync(CancellationToken cancellationToken)
    {
        RunnerOptions options = context.Options;
        string published = Path.Combine(context.RepositoryRoot, PublishDirectory, "heddle-proxy");
        string path;
        if (options.ProxyPath is not null)
        {
            path = Path.GetFullPath(options.ProxyPath, context.RepositoryRoot);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"--proxy {options.ProxyPath}: no such file");
            }
        }
        else if (options.NoPublish)
        {
            path = published;
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"--no-publish, but {PublishDirectory}/heddle-proxy does not exist; run once without --no-publish");
            }
        }
        else
        {
            string log = Path.Combine(context.ResultsDirectory, "heddle-proxy-publish.log");
            BenchContext.Log($"publishing heddle-proxy with Native AOT into {PublishDirectory} (log: {log})");
            CommandResult result = await ProcessRunner.RunAsync(
                "dotnet",
                ["publish", ProxyProject(context.RepositoryRoot), "-c", "Release", "-r", "linux-x64", "-o", Path.Combine(context.RepositoryRoot, PublishDirectory), "-nologo"],
                TimeSpan.FromMinutes(30),
                cancellationToken,
                workingDirectory: context.RepositoryRoot).ConfigureAwait(false);
            await File.WriteAllTextAsync(log, result.Output, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish of heddle-proxy failed (exit {result.ExitCode}, log {log}):{Environment.NewLine}{TextTail.LastLines(result.StandardOutput, 10)}");
            }

            path = published;
        }

        ProxyPath = path;
        return path;
    }
}
