using Heddle.Proxy.Telemetry;

namespace Heddle.Proxy.Tests.Telemetry;

public sealed class RequestIdTests
{
    [Fact]
    public void New_IsARandomVersion4Uuid()
    {
        var text = RequestId.New().ToString();

        Assert.Equal('4', text[14]);
        Assert.Contains(text[19], "89ab");
    }

    [Fact]
    public void New_NeverRepeatsAcrossManyRefillsOfItsRandomBlock()
    {
        var seen = new HashSet<Guid>();
        for (var i = 0; i < 10_000; i++)
        {
            var id = RequestId.New();
            Assert.True(seen.Add(id), "repeated " + id);
            var text = id.ToString();
            Assert.Equal('4', text[14]);
            Assert.Contains(text[19], "89ab");
        }
    }
}
