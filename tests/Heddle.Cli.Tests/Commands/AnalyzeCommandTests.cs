using System.CommandLine;
using Heddle.Cli.Commands;

namespace Heddle.Cli.Tests.Commands;

public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly ConfigFiles _files = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Run_ConsistentConfig_PrintsNoProblemsAndExitsZero()
    {
        _files.Write("service.yaml", ConfigFiles.Service);
        _files.Write("workloads.yaml", ConfigFiles.Workload);
        _files.Write("routing.yaml", ConfigFiles.Subsets + "\n---\n" + ConfigFiles.AllToV1);

        Assert.Equal(0, AnalyzeCommand.Run(_files.Directory, _output, _error));

        Assert.Equal("no problems", _output.ToString().Trim());
    }

    [Fact]
    public void Run_Error_PrintsFileLinePathMessageAndExitsOne()
    {
        _files.Write("service.yaml", ConfigFiles.Service);
        _files.Write("workloads.yaml", ConfigFiles.Workload);
        _files.Write("routing.yaml", ConfigFiles.Subsets + "\n---\n" + ConfigFiles.WeightsNot100);

        Assert.Equal(1, AnalyzeCommand.Run(_files.Directory, _output, _error));

        string[] lines = _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("routing.yaml:", StringComparison.Ordinal) && l.Contains("spec.http[0].route", StringComparison.Ordinal) && l.Contains("100", StringComparison.Ordinal));
        Assert.Matches(@"^\d+ errors?, \d+ warnings?$", lines[^1]);
    }

    [Fact]
    public void Run_OnlyWarnings_PrintsThemAndExitsZero()
    {
        _files.Write("service.yaml", ConfigFiles.Service);
        _files.Write("workloads.yaml", ConfigFiles.Workload);
        _files.Write("orphan.yaml", ConfigFiles.Subsets.Replace("host: web", "host: nowhere", StringComparison.Ordinal));

        Assert.Equal(0, AnalyzeCommand.Run(_files.Directory, _output, _error));

        Assert.Contains("orphan.yaml:", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("warning: ", _output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("0 errors, 1 warning", _output.ToString().Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoSuchDirectory_ExitsOne()
    {
        Assert.Equal(1, AnalyzeCommand.Run(Path.Combine(_files.Directory, "missing"), _output, _error));

        Assert.Contains("no such directory", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_CommandLineWithError_ExitCodeOne()
    {
        _files.Write("routing.yaml", ConfigFiles.WeightsNot100);
        var invocation = new InvocationConfiguration { Output = _output, Error = _error };

        int exitCode = Program.CreateRootCommand().Parse(["analyze", _files.Directory]).Invoke(invocation);

        Assert.Equal(1, exitCode);
        Assert.Contains("routing.yaml:", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_HelloSample_NoProblems()
    {
        Assert.Equal(0, AnalyzeCommand.Run(Path.Combine(Repository.Root, "samples", "hello"), _output, _error));

        Assert.Equal("no problems", _output.ToString().Trim());
    }
}
