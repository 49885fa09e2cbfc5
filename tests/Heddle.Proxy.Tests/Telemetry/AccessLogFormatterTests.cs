using System.Buffers;
using System.Text;
using Heddle.Proxy.Telemetry;

namespace Heddle.Proxy.Tests.Telemetry;

public sealed class AccessLogFormatterTests
{
    private static string Format(AccessLogEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        AccessLogFormatter.Format(entry, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Format_WritesEnvoyShapedLine()
    {
        var line = Format(new AccessLogEntry(
            DateTimeOffset.Parse("2030-01-02T03:04:05.678Z"), "GET", "/get", "?a=1", "HTTP/1.1", 503,
            ResponseFlags.UpstreamConnectionFailure | ResponseFlags.UpstreamRetryLimitExceeded, 0, 43, 12,
            null, "curl/8.0", "abc", "httpbin:8000", "10.0.0.1:15006", "outbound|8000||httpbin.default.svc.cluster.local", "default"));

        Assert.Equal(
            "[2030-01-02T03:04:05.678Z] \"GET /get?a=1 HTTP/1.1\" 503 UF,URX 0 43 12 \"-\" \"curl/8.0\" \"abc\" \"httpbin:8000\" \"10.0.0.1:15006\" outbound|8000||httpbin.default.svc.cluster.local default\n",
            line);
    }

    [Fact]
    public void Format_ControlCharactersInValues_CannotBreakTheLine()
    {
        var line = Format(new AccessLogEntry(
            DateTimeOffset.UnixEpoch, "GET", "/", null, "HTTP/2", 404, ResponseFlags.NoRoute, 0, 0, 0,
            null, "evil\nagent", null, null, null, null, null));

        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\" 404 NR 0 0 0 \"-\" \"evil agent\" \"-\" \"-\" \"-\" - -\n", line);
    }

    [Theory]
    [InlineData((int)ResponseFlags.None, "-")]
    [InlineData((int)ResponseFlags.NoRoute, "NR")]
    [InlineData((int)ResponseFlags.NoHealthyUpstream, "UH")]
    [InlineData((int)ResponseFlags.UpstreamRequestTimeout, "UT")]
    [InlineData((int)(ResponseFlags.UpstreamConnectionTermination | ResponseFlags.DownstreamConnectionTermination), "UC,DC")]
    public void ResponseFlags_UseEnvoyCodes(int flags, string expected)
    {
        Assert.Equal(expected, ResponseFlagNames.Format((ResponseFlags)flags));
    }

    [Theory]
    [InlineData((int)ResponseFlags.None)]
    [InlineData((int)ResponseFlags.NoRoute)]
    [InlineData((int)(ResponseFlags.UpstreamConnectionFailure | ResponseFlags.UpstreamRetryLimitExceeded))]
    [InlineData((int)(ResponseFlags.NoRoute | ResponseFlags.NoHealthyUpstream | ResponseFlags.UpstreamConnectionFailure | ResponseFlags.UpstreamRequestTimeout
        | ResponseFlags.UpstreamConnectionTermination | ResponseFlags.DownstreamConnectionTermination | ResponseFlags.UpstreamRetryLimitExceeded | ResponseFlags.NoClusterFound))]
    public void Write_AnyFlags_WritesWhatFormatReturns(int flags)
    {
        var buffer = new ArrayBufferWriter<byte>();

        ResponseFlagNames.Write((ResponseFlags)flags, buffer);

        Assert.Equal(ResponseFlagNames.Format((ResponseFlags)flags), Encoding.ASCII.GetString(buffer.WrittenSpan));
    }
}
