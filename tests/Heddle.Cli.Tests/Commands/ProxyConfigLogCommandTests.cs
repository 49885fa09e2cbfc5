using System.Text.Json;
using Heddle.Cli.Commands;

namespace Heddle.Cli.Tests.Commands;

public sealed class ProxyConfigLogCommandTests
{
    [Fact]
    public void ToJson_AdminLoggingAnswer_ListsEveryLoggerWithItsLevel()
    {
        using var json = JsonDocument.Parse(ProxyConfigLogCommand.ToJson("web-0", "active loggers:\n  heddle: debug\n"));

        Assert.Equal("web-0", json.RootElement.GetProperty("pod").GetString());
        Assert.Equal("debug", json.RootElement.GetProperty("loggers").GetProperty("heddle").GetString());
    }
}
