using System.Text;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>A write-only stream that collects the lines written to it (a proxy's access log in tests).</summary>
internal sealed class LineCapture : Stream
{
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _partial = new();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }

    public Task<string> WaitForLineAsync(Func<string, bool> predicate, string what) =>
        Eventually.WaitAsync(() => Task.FromResult(Lines.FirstOrDefault(predicate)), what);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            _partial.Append(Encoding.UTF8.GetString(buffer));
            var text = _partial.ToString();
            var end = text.LastIndexOf('\n');
            if (end < 0)
            {
                return;
            }

            _lines.AddRange(text[..end].Split('\n'));
            _partial.Clear().Append(text[(end + 1)..]);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return default;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
