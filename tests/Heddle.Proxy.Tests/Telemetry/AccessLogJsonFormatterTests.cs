using System.Buffers;
using System.Text;
using System.Text.Json;
using Heddle.Proxy.Telemetry;

namespace Heddle.Proxy.Tests.Telemetry;

public sealed class AccessLogJsonFormatterTests
{
    [Fact]
    public void Format_TwoEntries_OneJsonObjectPerLineWithEnvoyFieldNames()
    {
        var formatter = new AccessLogJsonFormatter();
        var buffer = new ArrayBufferWriter<byte>();
        formatter.Format(new AccessLogEntry(
            DateTimeOffset.Parse("2030-01-02T03:04:05.678Z"), "GET", "/get", "?a=1", "HTTP/1.1", 503,
            ResponseFlags.UpstreamConnectionFailure | ResponseFlags.UpstreamRetryLimitExceeded, 0, 43, 12,
            null, "curl/8.0", "abc", "httpbin:8000", "10.0.0.1:15006", "outbound|8000||httpbin.default.svc.cluster.local", "default",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), buffer);
        formatter.Format(new AccessLogEntry(
            DateTimeOffset.UnixEpoch, "GET", "/", null, "HTTP/2", 404, ResponseFlags.NoRoute, 0, 0, 0,
            null, "evil\nagent", null, null, null, null, null), buffer);

        var lines = Encoding.UTF8.GetString(buffer.WrittenSpan).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("2030-01-02T03:04:05.678Z", root.GetProperty("start_time").GetString());
        Assert.Equal("/get?a=1", root.GetProperty("path").GetString());
        Assert.Equal(503, root.GetProperty("response_code").GetInt32());
        Assert.Equal("UF,URX", root.GetProperty("response_flags").GetString());
        Assert.Equal(43, root.GetProperty("bytes_sent").GetInt64());
        Assert.Equal("abc", root.GetProperty("request_id").GetString());
        Assert.Equal("10.0.0.1:15006", root.GetProperty("upstream_host").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("x_forwarded_for").ValueKind);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", root.GetProperty("trace_id").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("evil\nagent", second.RootElement.GetProperty("user_agent").GetString());
        Assert.Equal("NR", second.RootElement.GetProperty("response_flags").GetString());
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("trace_id").ValueKind);
    }

    [Fact]
    public void Format_DeniedTcpConnection_CarriesTheTerminationDetailInTextAndJson()
    {
        var entry = new AccessLogEntry(
            DateTimeOffset.UnixEpoch, "CONNECT", "tcp-echo.foo.svc.cluster.local:9000", null, "TCP", 0, ResponseFlags.None, 0, 0, 1,
            null, null, null, "tcp-echo.foo.svc.cluster.local:9000", "10.0.0.9:9000", "inbound|9000|tcp|", null, null,
            "rbac_access_denied_matched_policy[ns[foo]-policy[tcp-policy]-rule[0]]");
        var json = new ArrayBufferWriter<byte>();
        var text = new ArrayBufferWriter<byte>();

        new AccessLogJsonFormatter().Format(entry, json);
        AccessLogFormatter.Format(entry, text);

        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(json.WrittenSpan));
        Assert.Equal("rbac_access_denied_matched_policy[ns[foo]-policy[tcp-policy]-rule[0]]", document.RootElement.GetProperty("connection_termination_details").GetString());
        Assert.EndsWith(" inbound|9000|tcp| - rbac_access_denied_matched_policy[ns[foo]-policy[tcp-policy]-rule[0]]\n", Encoding.UTF8.GetString(text.WrittenSpan));
    }
}
