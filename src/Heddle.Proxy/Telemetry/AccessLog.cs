using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Telemetry;

/// <summary>
/// One line per request on stdout. The request path only queues a small struct; a background task formats lines into
/// a reused buffer and writes them in batches. When stdout cannot keep up, lines are dropped and counted rather than
/// slowing requests down.
/// </summary>
internal sealed class AccessLog
{
    private const int Capacity = 16 * 1024;
    private const int FlushThreshold = 32 * 1024;

    private readonly Channel<AccessLogEntry> _entries = Channel.CreateBounded<AccessLogEntry>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Stream _output;
    private readonly ILogger _logger;
    private long _dropped;

    private readonly AccessLogJsonFormatter? _json;

    public AccessLog(bool enabled, Stream output, ILogger logger, bool json = false)
    {
        Enabled = enabled;
        _json = json ? new AccessLogJsonFormatter() : null;
        _output = output;
        _logger = logger;
    }

    /// <summary>When false, the request path builds no entry at all.</summary>
    public bool Enabled { get; }

    public void Write(in AccessLogEntry entry)
    {
        if (!_entries.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes queued lines until cancelled, then whatever is still queued.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold * 2);
        var reader = _entries.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await DrainAsync(reader, buffer, CancellationToken.None).ConfigureAwait(false);
                ReportDrops();
            }
        }
        catch (OperationCanceledException)
        {
        }

        await DrainAsync(reader, buffer, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task DrainAsync(ChannelReader<AccessLogEntry> reader, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        while (reader.TryRead(out var entry))
        {
            if (_json is null)
            {
                AccessLogFormatter.Format(entry, buffer);
            }
            else
            {
                _json.Format(entry, buffer);
            }

            if (buffer.WrittenCount >= FlushThreshold)
            {
                await WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
        }

        await WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.WrittenCount == 0)
        {
            return;
        }

        try
        {
            await _output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // stdout closed: the proxy keeps serving without its access log.
        }

        buffer.ResetWrittenCount();
    }

    private void ReportDrops()
    {
        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            ProxyLog.AccessLogDropped(_logger, dropped);
        }
    }
}
