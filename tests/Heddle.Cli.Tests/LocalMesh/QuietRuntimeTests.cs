using System.Collections;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.LocalMesh;

public sealed class QuietRuntimeTests
{
    [Fact]
    public void Decide_NoSettingOfTheUsers_RestartsWithoutTieredCompilation()
    {
        Assert.Equal(QuietRuntime.Step.Restart, QuietRuntime.Decide(tieredCompilation: null, restarted: null));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    public void Decide_UserSetTieredCompilation_RunsAsStarted(string setting)
    {
        Assert.Equal(QuietRuntime.Step.Keep, QuietRuntime.Decide(setting, restarted: null));
    }

    [Fact]
    public void Decide_TheReplacement_ForgetsTheSettingInsteadOfRestartingAgain()
    {
        Assert.Equal(QuietRuntime.Step.Forget, QuietRuntime.Decide(tieredCompilation: "0", restarted: "1"));
    }

    [Fact]
    public void RestartEnvironment_KeepsTheUsersVariablesAndAddsTheSettingAndTheMark()
    {
        var current = new Hashtable { ["PATH"] = "/usr/bin", ["HEDDLE_RUN_DIR"] = "/tmp/mesh", ["EMPTY"] = null };

        var environment = QuietRuntime.RestartEnvironment(current);

        Assert.Equal(
            [("DOTNET_TieredCompilation", "0"), ("EMPTY", ""), ("HEDDLE_RUN_DIR", "/tmp/mesh"), ("HEDDLE_UP_RESTARTED", "1"), ("PATH", "/usr/bin")],
            environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value)));
    }
}
