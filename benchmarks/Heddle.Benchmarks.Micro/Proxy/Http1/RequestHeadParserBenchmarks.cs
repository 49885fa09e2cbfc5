using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Heddle.Proxy.Http1;

namespace Heddle.Benchmarks.Micro.Proxy.Http1;

/// <summary>
/// The lean HTTP/1.1 path's per-request head work: parsing a request head out of the connection's bytes (one
/// segment, or split across segments as a slow client sends it) and writing the head forwarded to a peer sidecar.
/// </summary>
[MemoryDiagnoser]
public class RequestHeadParserBenchmarks
{
    // What wrk sends through the explicit proxy, and a browser-sized request.
    private static readonly byte[] Small = Encoding.ASCII.GetBytes("GET http://upstream:8080/ HTTP/1.1\r\nHost: upstream:8080\r\n\r\n");

    private static readonly byte[] Browser = Encoding.ASCII.GetBytes(
        "GET http://reviews.default.svc.cluster.local:9080/reviews/0?limit=10 HTTP/1.1\r\n"
        + "Host: reviews.default.svc.cluster.local:9080\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n"
        + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
        + "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
        + "x-request-id: 8a1b6d7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b\r\n"
        + "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n"
        + "Cookie: session=abcdef0123456789; theme=dark\r\n\r\n");

    private readonly RequestHead _head = new();
    private readonly byte[] _output = new byte[8192];
    private ReadOnlySequence<byte> _small;
    private ReadOnlySequence<byte> _browser;
    private ReadOnlySequence<byte> _browserSplit;

    [GlobalSetup]
    public void Setup()
    {
        _small = new ReadOnlySequence<byte>(Small);
        _browser = new ReadOnlySequence<byte>(Browser);
        var first = new Segment(Browser.AsMemory(0, 100), 0);
        var last = first.Append(Browser.AsMemory(100));
        _browserSplit = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    [Benchmark(Baseline = true)]
    public int Parse_Small() => (int)RequestHeadParser.Parse(_small, _head, out _);

    [Benchmark]
    public int Parse_Browser() => (int)RequestHeadParser.Parse(_browser, _head, out _);

    [Benchmark]
    public int Parse_BrowserSplitInTwo() => (int)RequestHeadParser.Parse(_browserSplit, _head, out _);

    [Benchmark]
    public int ParseAndWrite_BrowserToSidecar()
    {
        RequestHeadParser.Parse(_browser, _head, out _);
        return HeadWriter.WriteRequest(_output, _head, new ForwardedHeaders { InboundPort = 9080, PeerMetadata = "CgR3ZWItdjE=" });
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
