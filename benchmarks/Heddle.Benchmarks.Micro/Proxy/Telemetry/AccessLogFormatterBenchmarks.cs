using System.Buffers;
using BenchmarkDotNet.Attributes;
using Heddle.Proxy.Telemetry;

namespace Heddle.Benchmarks.Micro.Proxy.Telemetry;

/// <summary>One access-log line, formatted into the log writer's reused buffer (off the request path, on the log's task).</summary>
[MemoryDiagnoser]
public class AccessLogFormatterBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    private readonly AccessLogEntry _ok = new(
        new DateTimeOffset(2026, 11, 25, 21, 0, 0, 123, TimeSpan.Zero),
        "GET", "/api/v1/items/42", "?page=2", "HTTP/1.1", 200, ResponseFlags.None, 0, 1024, 3,
        "10.0.0.7", "curl/8.5.0", "7d3f1c2a-9b1e-4c55-8f0e-0d6b2b8f6a11", "web.default.svc.cluster.local:8000",
        "10.1.2.3:15006", "outbound|8000|v1|web.default.svc.cluster.local", "web-route");

    private AccessLogEntry _retried;

    [GlobalSetup]
    public void Setup() =>
        _retried = _ok with { Status = 503, Flags = ResponseFlags.UpstreamConnectionFailure | ResponseFlags.UpstreamRetryLimitExceeded, BytesSent = 0 };

    [Benchmark(Baseline = true)]
    public int Success()
    {
        _buffer.ResetWrittenCount();
        AccessLogFormatter.Format(_ok, _buffer);
        return _buffer.WrittenCount;
    }

    /// <summary>Two response flags at once ("UF,URX").</summary>
    [Benchmark]
    public int TwoResponseFlags()
    {
        _buffer.ResetWrittenCount();
        AccessLogFormatter.Format(_retried, _buffer);
        return _buffer.WrittenCount;
    }
}
