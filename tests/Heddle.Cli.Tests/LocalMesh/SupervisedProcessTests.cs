using Heddle.Cli.LocalMesh;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.Cli.Tests.LocalMesh;

public class SupervisedProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RunAsync_ProcessExits_RestartedAfterBackoff()
    {
        var time = new FakeTimeProvider();
        var output = new LinesWriter();
        var supervised = new SupervisedProcess("job-0", ChildProcessTests.Shell("echo started; exit 7"), new LogMultiplexer(output, color: false), time, TimeSpan.FromSeconds(1));
        var exits = new List<int>();
        supervised.ExitedUnexpectedly += (_, code) => { lock (exits) { exits.Add(code); } };
        using var stopping = new CancellationTokenSource();

        var running = supervised.RunAsync(stopping.Token);
        Assert.True(await Poll.UntilAsync(() => output.Lines.Contains("exited  job-0  code 7, restarting in 1s"), Timeout));
        Assert.True(await Poll.UntilAsync(() => output.Lines.Count(l => l == "job-0 | started") == 1, Timeout));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await Poll.UntilAsync(() => output.Lines.Contains("exited  job-0  code 7, restarting in 2s"), Timeout));
        Assert.True(await Poll.UntilAsync(() => output.Lines.Count(l => l == "job-0 | started") == 2, Timeout));

        stopping.Cancel();
        await running.WaitAsync(Timeout);
        lock (exits)
        {
            Assert.Equal([7, 7], exits);
        }
    }

    [Fact]
    public async Task RunAsync_Stopped_StopsTheProcessAndClearsPid()
    {
        var output = new LinesWriter();
        var supervised = new SupervisedProcess("job-0", ChildProcessTests.Shell("echo up; exec sleep 300"), new LogMultiplexer(output, color: false), TimeProvider.System, TimeSpan.FromSeconds(5));
        int? lastPid = null;
        supervised.PidChanged += p => lastPid = p.Pid ?? lastPid;
        using var stopping = new CancellationTokenSource();

        var running = supervised.RunAsync(stopping.Token);
        Assert.True(await Poll.UntilAsync(() => output.Lines.Contains("job-0 | up"), Timeout));
        int pid = Assert.IsType<int>(supervised.Pid);

        stopping.Cancel();
        await running.WaitAsync(Timeout);

        Assert.Null(supervised.Pid);
        Assert.Equal(pid, lastPid);
        Assert.False(Native.IsAlive(pid));
        Assert.DoesNotContain(output.Lines, l => l.StartsWith("exited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ProgramMissing_ReportsAndRetries()
    {
        var time = new FakeTimeProvider();
        var output = new LinesWriter();
        var launch = new ProcessLaunch("/nonexistent/program", [], "/", new Dictionary<string, string?>());
        var supervised = new SupervisedProcess("job-0", launch, new LogMultiplexer(output, color: false), time, TimeSpan.FromSeconds(1));
        using var stopping = new CancellationTokenSource();

        var running = supervised.RunAsync(stopping.Token);

        Assert.True(await Poll.UntilAsync(() => output.Lines.Any(l => l.StartsWith("exited  job-0", StringComparison.Ordinal) || l.StartsWith("failed  job-0", StringComparison.Ordinal)), Timeout));
        stopping.Cancel();
        await running.WaitAsync(Timeout);
    }
}
