using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text;
using Heddle.Proxy.Links;
using Heddle.Proxy.Tests.Infrastructure;

namespace Heddle.Proxy.Tests.Links;

/// <summary>
/// The pipe a served link stream is read from keeps the contract of a pipe reader: a read waits for bytes the caller
/// has not examined, hands back what was examined but not consumed together with what came since, grows past its
/// buffer for a caller that needs more, reports the stream's end, and can be canceled. The stream here is a real
/// asynchronous one (a pipe's reader as a stream) whose reads wait until the test writes.
/// </summary>
public sealed class LinkStreamReaderTests
{
    private readonly Pipe _source = new();
    private readonly LinkStreamReader _reader;

    public LinkStreamReaderTests() => _reader = new LinkStreamReader(_source.Reader.AsStream());

    [Fact]
    public async Task Read_WaitsForBytes_ThenHandsThemBack()
    {
        var read = _reader.ReadAsync();
        Assert.False(read.IsCompleted);

        await SendAsync("GET / HTTP/1.1\r\n");

        var result = await Eventually.Completes(read.AsTask());
        Assert.Equal("GET / HTTP/1.1\r\n", Text(result.Buffer));
        Assert.False(result.IsCompleted);
    }

    [Fact]
    public async Task ExaminedButNotConsumed_NextReadWaitsForMore_AndHandsBackBoth()
    {
        await SendAsync("GET / HT");
        var first = await _reader.ReadAsync();
        _reader.AdvanceTo(first.Buffer.Start, first.Buffer.End);

        var second = _reader.ReadAsync();
        Assert.False(second.IsCompleted);
        await SendAsync("TP/1.1\r\n");

        Assert.Equal("GET / HTTP/1.1\r\n", Text((await Eventually.Completes(second.AsTask())).Buffer));
    }

    [Fact]
    public async Task NotAllExamined_NextReadReturnsAtOnce()
    {
        await SendAsync("first\nsecond\n");
        var first = await _reader.ReadAsync();
        _reader.AdvanceTo(first.Buffer.GetPosition(6));

        var second = _reader.ReadAsync();

        Assert.True(second.IsCompleted);
        Assert.Equal("second\n", Text((await second).Buffer));
    }

    [Fact]
    public async Task ConsumedInSteps_EachReadStartsWhereTheLastConsumed()
    {
        await SendAsync("a\nb\nc\n");
        var first = await _reader.ReadAsync();
        _reader.AdvanceTo(first.Buffer.GetPosition(2));
        var second = await _reader.ReadAsync();
        Assert.Equal("b\nc\n", Text(second.Buffer));
        _reader.AdvanceTo(second.Buffer.GetPosition(2), second.Buffer.End);

        var third = _reader.ReadAsync();
        Assert.False(third.IsCompleted);
        await SendAsync("d\n");

        Assert.Equal("c\nd\n", Text((await Eventually.Completes(third.AsTask())).Buffer));
    }

    [Fact]
    public async Task MoreThanTheBufferHolds_IsHandedBackWhole()
    {
        var head = new string('h', 40 * 1024);
        var result = default(ReadResult);
        foreach (var piece in head.Chunk(3000))
        {
            await SendAsync(new string(piece));
            result = await Eventually.Completes(_reader.ReadAsync().AsTask());
            if (result.Buffer.Length < head.Length)
            {
                _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }

        Assert.Equal(head, Text(result.Buffer));
    }

    [Fact]
    public async Task ConsumedBytes_AreGone_AndTheBufferIsReused()
    {
        byte[]? buffer = null;
        for (var i = 0; i < 20; i++)
        {
            var request = $"request {i}: {new string('x', 1000)}\n";
            await SendAsync(request);
            var result = await Eventually.Completes(_reader.ReadAsync().AsTask());
            Assert.Equal(request, Text(result.Buffer));
            Assert.True(MemoryMarshal.TryGetArray(result.Buffer.First, out var segment));
            Assert.Equal(0, segment.Offset);
            buffer ??= segment.Array;
            Assert.Same(buffer, segment.Array);
            _reader.AdvanceTo(result.Buffer.End);
        }
    }

    [Fact]
    public async Task StreamEnd_IsReported_WithTheBytesLeft()
    {
        await SendAsync("last");
        await _source.Writer.CompleteAsync();

        var first = await Eventually.Completes(_reader.ReadAsync().AsTask());
        _reader.AdvanceTo(first.Buffer.Start, first.Buffer.End);
        var result = await Eventually.Completes(_reader.ReadAsync().AsTask());

        Assert.True(result.IsCompleted);
        Assert.Equal("last", Text(result.Buffer));
    }

    [Fact]
    public async Task CancelPendingRead_EndsTheWaitingRead_AndLaterBytesComeWithTheNextRead()
    {
        var waiting = _reader.ReadAsync();

        _reader.CancelPendingRead();
        var canceled = await Eventually.Completes(waiting.AsTask());
        Assert.True(canceled.IsCanceled);
        _reader.AdvanceTo(canceled.Buffer.Start);
        await SendAsync("after");

        var next = await Eventually.Completes(_reader.ReadAsync().AsTask());
        Assert.False(next.IsCanceled);
        Assert.Equal("after", Text(next.Buffer));
    }

    [Fact]
    public async Task CancelPendingRead_WithNoReadWaiting_CancelsTheNextRead()
    {
        _reader.CancelPendingRead();

        var result = await _reader.ReadAsync();

        Assert.True(result.IsCanceled);
    }

    [Fact]
    public async Task CanceledToken_EndsTheWaitingRead()
    {
        using var cancellation = new CancellationTokenSource();
        var waiting = _reader.ReadAsync(cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(waiting.AsTask()));
    }

    [Fact]
    public async Task Completed_ReadsNoMore()
    {
        await SendAsync("bytes");

        _reader.Complete();

        await Assert.ThrowsAsync<InvalidOperationException>(() => _reader.ReadAsync().AsTask());
    }

    private async Task SendAsync(string text) => await _source.Writer.WriteAsync(Encoding.ASCII.GetBytes(text));

    private static string Text(ReadOnlySequence<byte> buffer) => Encoding.ASCII.GetString(buffer.ToArray());
}
