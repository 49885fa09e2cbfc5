using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Telemetry;

/// <summary>
/// One line per request, on stdout or to a file. The request path only queues a small struct; a background task formats
/// lines into a reused buffer and writes them in batches. When the output cannot keep up, lines are dropped and counted
/// rather than slowing requests down. Its settings (<see cref="AccessLogConfig"/>) change at runtime: the control
/// plane's Telemetry settings replace the command-line ones, and the writer switches file and format with them.
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

    private readonly Stream _standardOutput;
    private readonly ILogger _logger;
    private readonly AccessLogConfig _defaults;
    private readonly AccessLogJsonFormatter _json = new();
    private AccessLogConfig _config;
    private long _dropped;

    // Owned by the writer task: the output the lines go to now and the path it was opened for.
    private Stream _output;
    private string? _outputPath;

    public AccessLog(bool enabled, Stream output, ILogger logger, bool json = false)
    {
        _defaults = AccessLogConfig.FromFlags(enabled, json);
        _config = _defaults;
        _standardOutput = output;
        _output = output;
        _logger = logger;
    }

    /// <summary>The settings in force.</summary>
    public AccessLogConfig Config => Volatile.Read(ref _config);

    /// <summary>When false, the request path builds no entry at all.</summary>
    public bool Enabled => Volatile.Read(ref _config).Enabled;

    /// <summary>Whether a request that ended with status <paramref name="code"/> is logged (on, and passes the filter).</summary>
    public bool Accepts(int code) => Volatile.Read(ref _config).Accepts(code);

    /// <summary>Applies the control plane's settings; null returns to the command-line ones. True when they changed.</summary>
    public bool Configure(AccessLogConfig? config)
    {
        config ??= _defaults;
        var previous = Volatile.Read(ref _config);
        if (previous.SameAs(config))
        {
            return false;
        }

        Volatile.Write(ref _config, config);
        ProxyLog.AccessLogConfigured(_logger, config.ToString());
        return true;
    }

    public void Write(in AccessLogEntry entry)
    {
        if (!_entries.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes queued lines until cancelled, then whatever is still queued, and closes its file.</summary>
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
        if (!ReferenceEquals(_output, _standardOutput))
        {
            await _output.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task DrainAsync(ChannelReader<AccessLogEntry> reader, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        var config = Volatile.Read(ref _config);
        if (config.Path != _outputPath)
        {
            await WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            await SwitchOutputAsync(config.Path).ConfigureAwait(false);
        }

        while (reader.TryRead(out var entry))
        {
            if (!config.Json)
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

    /// <summary>Closes the current file (if any) and opens <paramref name="path"/> for appending (null: stdout).</summary>
    private async Task SwitchOutputAsync(string? path)
    {
        if (!ReferenceEquals(_output, _standardOutput))
        {
            await _output.DisposeAsync().ConfigureAwait(false);
        }

        _output = _standardOutput;
        _outputPath = null;
        if (path is null)
        {
            return;
        }

        try
        {
            if (Path.GetDirectoryName(path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }

            _output = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            _outputPath = path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ProxyLog.AccessLogFileFailed(_logger, path, e.Message);
            _outputPath = path;
        }
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
