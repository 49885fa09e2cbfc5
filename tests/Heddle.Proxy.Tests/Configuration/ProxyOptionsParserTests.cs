using System.Net;
using Heddle.Proxy.Configuration;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Tests.Configuration;

public sealed class ProxyOptionsParserTests
{
    private static readonly string[] Required =
        ["--discovery", "http://127.0.0.1:15010", "--pod-ip", "127.0.1.1", "--pod-name", "web-v1-0", "--namespace", "default", "--workload", "web-v1"];

    [Fact]
    public void TryParse_ContractCommandLine_FillsEveryOption()
    {
        string[] args = [.. Required, "--service-account", "web", "--label", "app=web", "--label", "version=v1",
            "--readiness", "http:8080:/healthz", "--parent-pid", "1234", "--log-level", "debug"];

        Assert.True(ProxyOptionsParser.TryParse(args, out var options, out var error), error);

        Assert.Equal(new Uri("http://127.0.0.1:15010"), options.DiscoveryAddress);
        Assert.Equal(IPAddress.Parse("127.0.1.1"), options.PodIp);
        Assert.Equal("web-v1-0.default", options.NodeId);
        Assert.Equal("web-v1", options.Workload);
        Assert.Equal("web", options.ServiceAccount);
        Assert.Equal("web", options.Labels["app"]);
        Assert.Equal("v1", options.Labels["version"]);
        Assert.Equal(ReadinessProbeSpec.Http(8080, "/healthz"), options.Readiness);
        Assert.Equal(1234, options.ParentPid);
        Assert.Equal(LogLevel.Debug, options.LogLevel);
        Assert.True(options.AccessLog);
    }

    [Theory]
    [InlineData("9100:/custom-metrics", 9100, "/custom-metrics")]
    [InlineData("9100", 9100, "/metrics")]
    public void TryParse_AppMetrics_PortAndPath(string value, int port, string path)
    {
        Assert.True(ProxyOptionsParser.TryParse([.. Required, "--app-metrics", value, "--cluster", "east"], out var options, out var error), error);

        Assert.Equal(new AppMetricsSpec(port, path), options.AppMetrics);
        Assert.Equal("east", options.Cluster);
    }

    [Theory]
    [InlineData("json", true, true)]
    [InlineData("text", true, false)]
    [InlineData("off", false, false)]
    public void TryParse_AccessLogFormat_EnabledAndJson(string value, bool enabled, bool json)
    {
        Assert.True(ProxyOptionsParser.TryParse([.. Required, "--access-log", value], out var options, out var error), error);

        Assert.Equal((enabled, json), (options.AccessLog, options.AccessLogJson));
    }

    [Fact]
    public void TryParse_DiscoveryRootCertWithPlaintextDiscovery_Fails()
    {
        var path = Path.Combine(Path.GetTempPath(), "heddle-root-" + Guid.NewGuid().ToString("N") + ".pem");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        using (var root = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=root", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1)))
        {
            File.WriteAllText(path, root.ExportCertificatePem());
        }

        try
        {
            Assert.False(ProxyOptionsParser.TryParse([.. Required, "--discovery-root-cert", path], out _, out var error));
            Assert.Equal("--discovery-root-cert: needs an https:// --discovery address", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TryParse_AppMetricsWithoutPort_Fails()
    {
        Assert.False(ProxyOptionsParser.TryParse([.. Required, "--app-metrics", "/metrics"], out _, out var error));
        Assert.Contains("--app-metrics", error);
    }

    [Fact]
    public void TryParse_OnlyRequiredOptions_UsesDefaults()
    {
        Assert.True(ProxyOptionsParser.TryParse(Required, out var options, out _));

        Assert.Equal("default", options.ServiceAccount);
        Assert.Empty(options.Labels);
        Assert.Null(options.Readiness);
        Assert.Null(options.ParentPid);
        Assert.Equal(15001, options.OutboundPort);
    }

    [Theory]
    [InlineData("tcp:8080", true, 8080, "")]
    [InlineData("http:9000:/ready", false, 9000, "/ready")]
    [InlineData("http:9000", false, 9000, "/")]
    public void TryParseReadiness_ValidForms(string value, bool tcp, int port, string path)
    {
        Assert.True(ProxyOptionsParser.TryParseReadiness(value, out var probe));
        Assert.Equal(new ReadinessProbeSpec(tcp ? ReadinessProbeKind.Tcp : ReadinessProbeKind.Http, port, path), probe);
    }

    [Theory]
    [InlineData("--pod-ip", "not-an-ip", "--pod-ip: expected an IP address")]
    [InlineData("--readiness", "exec:foo", "--readiness: expected")]
    [InlineData("--parent-pid", "-3", "--parent-pid: expected a process id")]
    [InlineData("--label", "novalue", "--label: expected KEY=VALUE")]
    [InlineData("--bogus", "x", "unknown option '--bogus'")]
    public void TryParse_BadValue_NamesTheOption(string name, string value, string expected)
    {
        Assert.False(ProxyOptionsParser.TryParse([.. Required, name, value], out _, out var error));
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void TryParse_MissingRequired_SaysWhich()
    {
        Assert.False(ProxyOptionsParser.TryParse(["--discovery", "http://x:1", "--pod-ip", "127.0.0.1"], out _, out var error));
        Assert.Equal("--pod-name is required", error);
    }

    [Fact]
    public void TryParse_InlineValueAndAccessLogOff()
    {
        Assert.True(ProxyOptionsParser.TryParse([.. Required, "--access-log=off"], out var options, out _));
        Assert.False(options.AccessLog);
    }
}
