using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.LocalMesh;

public class ChildProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Start_StdoutAndStderr_EachLinePrefixedWithSource()
    {
        var output = new LinesWriter();
        using var child = ChildProcess.Start(Shell("echo one; echo two >&2"), "job-0", new LogMultiplexer(output, color: false));

        Assert.Equal(0, await child.Exited.WaitAsync(Timeout));
        Assert.True(await Poll.UntilAsync(() => output.Lines.Count == 2, Timeout));
        Assert.Contains("job-0 | one", output.Lines);
        Assert.Contains("job-0 | two", output.Lines);
    }

    [Fact]
    public async Task Start_EnvironmentAndWorkingDirectory_AsLaunched()
    {
        var output = new LinesWriter();
        var launch = Shell("echo \"$GREETING $(pwd)\"; echo \"proxy=${HTTPS_PROXY-unset}\"") with
        {
            WorkingDirectory = "/tmp",
            Environment = new Dictionary<string, string?> { ["GREETING"] = "hello", ["HTTPS_PROXY"] = null },
        };

        using var child = ChildProcess.Start(launch, "job-0", new LogMultiplexer(output, color: false));

        await child.Exited.WaitAsync(Timeout);
        Assert.True(await Poll.UntilAsync(() => output.Lines.Count == 2, Timeout));
        Assert.Equal(["job-0 | hello /tmp", "job-0 | proxy=unset"], output.Lines);
    }

    [Fact]
    public async Task Start_StdinIsClosed_ReadSeesEndOfFile()
    {
        var output = new LinesWriter();
        using var child = ChildProcess.Start(Shell("cat; echo done"), "job-0", new LogMultiplexer(output, color: false));

        Assert.Equal(0, await child.Exited.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Exited_NonZeroExit_ReportsTheCode()
    {
        using var child = ChildProcess.Start(Shell("exit 3"), "job-0", new LogMultiplexer(TextWriter.Null, color: false));

        Assert.Equal(3, await child.Exited.WaitAsync(Timeout));
    }

    [Fact]
    public async Task StopAsync_ProcessHandlesSigterm_ExitsWithinGrace()
    {
        var output = new LinesWriter();
        using var child = ChildProcess.Start(Shell("trap 'echo bye; exit 0' TERM; echo up; while :; do sleep 0.1; done"), "job-0", new LogMultiplexer(output, color: false));
        Assert.True(await Poll.UntilAsync(() => output.Lines.Contains("job-0 | up"), Timeout));

        await child.StopAsync(TimeSpan.FromSeconds(10), TimeProvider.System).WaitAsync(Timeout);

        Assert.Equal(0, await child.Exited);
        Assert.True(await Poll.UntilAsync(() => output.Lines.Contains("job-0 | bye"), Timeout));
    }

    [Fact]
    public async Task StopAsync_ProcessIgnoresSigterm_KilledWithItsChildrenAfterGrace()
    {
        var output = new LinesWriter();
        using var child = ChildProcess.Start(Shell("trap '' TERM; sleep 300 & echo $!; wait"), "job-0", new LogMultiplexer(output, color: false));
        Assert.True(await Poll.UntilAsync(() => output.Lines.Count == 1, Timeout));
        int grandchild = int.Parse(output.Lines[0]["job-0 | ".Length..]);
        Assert.True(Native.IsAlive(grandchild));

        await child.StopAsync(TimeSpan.FromMilliseconds(300), TimeProvider.System).WaitAsync(Timeout);

        Assert.True(await Poll.UntilAsync(() => !Native.IsAlive(grandchild), Timeout));
        Assert.False(Native.IsAlive(child.Pid));
    }

    [Fact]
    public async Task KillRemaining_AfterTheProcessExited_KillsWhatItLeftBehind()
    {
        var output = new LinesWriter();
        using var child = ChildProcess.Start(Shell("sleep 300 >/dev/null 2>&1 & echo $!"), "job-0", new LogMultiplexer(output, color: false));
        await child.Exited.WaitAsync(Timeout);
        Assert.True(await Poll.UntilAsync(() => output.Lines.Count == 1, Timeout));
        int orphan = int.Parse(output.Lines[0]["job-0 | ".Length..]);
        Assert.True(Native.IsAlive(orphan));

        child.KillRemaining();

        Assert.True(await Poll.UntilAsync(() => !Native.IsAlive(orphan), Timeout));
    }

    internal static ProcessLaunch Shell(string script) =>
        new("/bin/sh", ["-c", script], Environment.CurrentDirectory, new Dictionary<string, string?>());
}
