using System.Diagnostics;
using System.Text.Json;
using Heddle.Discovery.V1;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Telemetry.Tracing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heddle.Proxy.Tests.Telemetry;

public sealed class AccessLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("heddle-access-log-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static AccessLogEntry Entry(string path, int code) => new(
        DateTimeOffset.UnixEpoch, "GET", path, null, "HTTP/1.1", code, ResponseFlags.None, 0, 0, 1,
        null, "curl", "id", "httpbin:8000", "127.0.0.1:80", "outbound|8000||httpbin", null);

    private static async Task<string> WaitForAsync(Func<string> read, string expected)
    {
        var deadline = Stopwatch.StartNew();
        string text;
        while (!(text = read()).Contains(expected, StringComparison.Ordinal))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"no \"{expected}\" in: {text}");
            await Task.Delay(20);
        }

        return text;
    }

    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Fact]
    public void Accepts_FilterFor400AndAbove_AcceptsOnlyFailures()
    {
        var settings = new AccessLogSettings { Enabled = true, Filtered = true };
        settings.CodeRanges.Add(new AccessLogCodeRange { Min = 400, Max = 999 });
        var config = AccessLogConfig.From(settings);

        Assert.False(config.Accepts(200));
        Assert.True(config.Accepts(404));
        Assert.True(config.Accepts(503));
        Assert.False(config.Accepts(0));
        Assert.False(config.Accepts(1000));
    }

    [Fact]
    public void From_DevStdout_MeansStandardOutput()
    {
        Assert.Null(AccessLogConfig.From(new AccessLogSettings { Enabled = true, Path = "/dev/stdout" }).Path);
        Assert.Null(AccessLogConfig.From(new AccessLogSettings { Enabled = true, Path = "" }).Path);
    }

    [Fact]
    public async Task Configure_SwitchToJsonFileAndBack_LinesGoWhereTheSettingsSay()
    {
        var stdout = new SynchronizedMemoryStream();
        var log = new AccessLog(enabled: true, stdout, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = log.RunAsync(stop.Token);
        var file = Path.Combine(_directory, "logs", "access.log");

        log.Write(Entry("/first", 200));
        await WaitForAsync(stdout.Text, "/first");

        Assert.True(log.Configure(AccessLogConfig.From(new AccessLogSettings { Enabled = true, Path = file, Json = true })));
        log.Write(Entry("/second", 201));
        var text = await WaitForAsync(() => ReadShared(file), "/second");
        using (var json = JsonDocument.Parse(text.Trim()))
        {
            Assert.Equal(201, json.RootElement.GetProperty("response_code").GetInt32());
        }

        Assert.True(log.Configure(null));
        log.Write(Entry("/third", 200));
        await WaitForAsync(stdout.Text, "/third");

        await stop.CancelAsync();
        await run;
        Assert.DoesNotContain("/second", stdout.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("/third", ReadShared(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_SameSettingsTwice_ReportsNoChange()
    {
        var log = new AccessLog(enabled: true, Stream.Null, NullLogger.Instance);
        var off = new AccessLogSettings { Enabled = false };

        Assert.True(log.Configure(AccessLogConfig.From(off)));
        Assert.False(log.Configure(AccessLogConfig.From(off)));
        Assert.False(log.Enabled);
        Assert.True(log.Configure(null));
        Assert.True(log.Enabled);
    }

    [Fact]
    public void Apply_SettingsThenNone_ChangesSamplingAndReturnsToFlags()
    {
        using var exporter = new OtlpSpanExporter(new Uri("http://127.0.0.1:9"), WorkloadPeer.Unknown, NullLogger.Instance);
        var tracer = new Tracer(exporter, 1, WorkloadPeer.Unknown, "node", TimeProvider.System, new Random(1));
        var log = new AccessLog(enabled: true, Stream.Null, NullLogger.Instance);
        var applier = new TelemetrySettingsApplier(log, tracer, NullLogger.Instance);

        applier.Apply(new ProxySettings { AccessLog = new AccessLogSettings { Enabled = false }, TracingSampling = new TracingSampling { Percentage = 100 } });
        Assert.False(log.Enabled);
        Assert.Equal(100, tracer.SamplingPercent);

        applier.Apply((ProxySettings?)null);
        Assert.True(log.Enabled);
        Assert.Equal(1, tracer.SamplingPercent);
    }

    /// <summary>A memory stream the test reads while the log's writer task writes.</summary>
    private sealed class SynchronizedMemoryStream : MemoryStream
    {
        private readonly Lock _lock = new();

        public string Text()
        {
            lock (_lock)
            {
                return System.Text.Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length);
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                Write(buffer.Span);
            }

            return ValueTask.CompletedTask;
        }
    }
}
