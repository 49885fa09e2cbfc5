using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.LocalMesh;

public class LogMultiplexerTests
{
    [Fact]
    public void Line_RegisteredSources_PrefixesPaddedToTheWidest()
    {
        var output = new LinesWriter();
        var log = new LogMultiplexer(output, color: false);
        log.Register("control-plane");
        log.Register("web-v1-0/proxy");

        log.Line("web-v1-0/proxy", "GET /");
        log.Line("control-plane", "listening");

        Assert.Equal(["web-v1-0/proxy | GET /", "control-plane  | listening"], output.Lines);
    }

    [Fact]
    public void Event_IsWrittenWithoutPrefix()
    {
        var output = new LinesWriter();
        var log = new LogMultiplexer(output, color: false);
        log.Register("web-v1-0");

        log.Event("mesh ready");

        Assert.Equal(["mesh ready"], output.Lines);
    }

    [Fact]
    public void Line_Colored_WrapsOnlyThePrefix()
    {
        var output = new LinesWriter();
        var log = new LogMultiplexer(output, color: true);
        log.Register("a");

        log.Line("a", "text");

        Assert.StartsWith("\e[", output.Lines[0], StringComparison.Ordinal);
        Assert.EndsWith("a | \e[0mtext", output.Lines[0], StringComparison.Ordinal);
    }
}
