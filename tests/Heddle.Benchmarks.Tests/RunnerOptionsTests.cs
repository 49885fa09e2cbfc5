using Heddle.Benchmarks.Runner;

namespace Heddle.Benchmarks.Tests;

/// <summary>Which command lines make a reference run, and which only show that the runner works.</summary>
public sealed class RunnerOptionsTests
{
    [Fact]
    public void Parse_NoOptions_IsTheReferenceMethod()
    {
        var options = RunnerOptions.Parse([])!;

        Assert.False(options.TraceScheduler);
        Assert.False(options.DeviatesFromMethod);
    }

    [Fact]
    public void Parse_TraceScheduler_TracesAndIsNotAReferenceRun()
    {
        var options = RunnerOptions.Parse(["--trace-scheduler", "--cases", "nginx-pair,heddle-plaintext"])!;

        Assert.True(options.TraceScheduler);
        Assert.True(options.DeviatesFromMethod);
        Assert.Equal(["nginx-pair", "heddle-plaintext"], options.Cases);
    }

    [Fact]
    public void Parse_ShorterWindows_IsNotAReferenceRun()
    {
        Assert.True(RunnerOptions.Parse(["--rounds", "1", "--duration", "3s", "--warmup", "1s"])!.DeviatesFromMethod);
    }
}
