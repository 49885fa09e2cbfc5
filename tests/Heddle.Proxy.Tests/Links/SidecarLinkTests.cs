using System.IO.Pipelines;
using System.Threading.Channels;
using Heddle.Proxy.Links;
using Heddle.Proxy.Tests.Infrastructure;

namespace Heddle.Proxy.Tests.Links;

/// <summary>
/// A link between a client side and a server side over a pair of pipes: streams carry their own bytes in order, a
/// stream's window holds back only that stream, closing and breaking end streams as a closed connection would, and a
/// server that goes away takes no new streams.
/// </summary>
public sealed class SidecarLinkTests : IAsyncLifetime
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly Channel<LinkStream> _accepted = Channel.CreateUnbounded<LinkStream>();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SidecarLink _client = null!;
    private SidecarLink _server = null!;
    private Task _clientRun = null!;
    private Task _serverRun = null!;

    public Task InitializeAsync()
    {
        _client = new SidecarLink(_toClient.Reader, _toServer.Writer, accept: null, owner: null);
        _server = new SidecarLink(_toServer.Reader, _toClient.Writer, ServeAsync, owner: null);
        _clientRun = _client.RunAsync();
        _serverRun = _server.RunAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        _client.Break();
        await _toClient.Writer.CompleteAsync();
        await _toServer.Writer.CompleteAsync();
        await Eventually.Completes(_serverRun);
        await Eventually.Completes(_clientRun);
    }

    /// <summary>The server keeps each stream it accepts open until the test releases it.</summary>
    private async Task ServeAsync(LinkStream stream)
    {
        _accepted.Writer.TryWrite(stream);
        await _release.Task;
    }

    private async Task<LinkStream> AcceptAsync() => await Eventually.Completes(_accepted.Reader.ReadAsync());

    [Fact]
    public async Task Streams_CarryTheirOwnBytes_BothWays()
    {
        var first = _client.Open()!;
        var second = _client.Open()!;
        await first.WriteAsync("first"u8.ToArray());
        await second.WriteAsync("second"u8.ToArray());
        var serverFirst = await AcceptAsync();
        var serverSecond = await AcceptAsync();

        Assert.Equal("first", await ReadTextAsync(serverFirst, 5));
        Assert.Equal("second", await ReadTextAsync(serverSecond, 6));

        await serverSecond.WriteAsync("to second"u8.ToArray());
        await serverFirst.WriteAsync("to first"u8.ToArray());
        Assert.Equal("to first", await ReadTextAsync(first, 8));
        Assert.Equal("to second", await ReadTextAsync(second, 9));
        Assert.Equal((1u, 2u), (serverFirst.Id, serverSecond.Id));
    }

    [Fact]
    public async Task Window_ASlowReader_HoldsBackItsOwnStreamOnly()
    {
        var slow = _client.Open()!;
        var data = new byte[LinkStream.Window * 4];
        Random.Shared.NextBytes(data);

        var write = slow.WriteAsync(data).AsTask();
        var serverSlow = await AcceptAsync();
        await Task.Delay(200);
        Assert.False(write.IsCompleted, "a write larger than the window waits for the reader");

        var other = _client.Open()!;
        await Eventually.Completes(other.WriteAsync("still moving"u8.ToArray()));
        Assert.Equal("still moving", await ReadTextAsync(await AcceptAsync(), 12));

        var received = new byte[data.Length];
        var total = 0;
        while (total < received.Length)
        {
            var read = await Eventually.Completes(serverSlow.ReadAsync(received.AsMemory(total)));
            Assert.NotEqual(0, read);
            total += read;
        }

        await Eventually.Completes(write);
        Assert.Equal(data, received);
    }

    [Fact]
    public async Task ClientClose_EndsTheServersReads()
    {
        var stream = _client.Open()!;
        await stream.WriteAsync("bye"u8.ToArray());
        var accepted = await AcceptAsync();

        await stream.DisposeAsync();

        Assert.Equal("bye", await ReadTextAsync(accepted, 3));
        Assert.Equal(0, await Eventually.Completes(accepted.ReadAsync(new byte[8])));
    }

    [Fact]
    public async Task ServerClose_EndsTheClientsRead_AndFailsItsWrites()
    {
        var stream = _client.Open()!;
        await stream.WriteAsync("x"u8.ToArray());
        var accepted = await AcceptAsync();
        var read = stream.ReadAsync(new byte[8]).AsTask();

        await accepted.DisposeAsync();

        Assert.Equal(0, await Eventually.Completes(read));
        await Assert.ThrowsAsync<IOException>(async () => await stream.WriteAsync("y"u8.ToArray()));
        Assert.Equal(1, _client.StreamCount);

        await stream.DisposeAsync();
        await Eventually.WaitAsync(() => _client.StreamCount == 0 && _server.StreamCount == 0, "both sides to forget the stream once both closed it");
    }

    [Fact]
    public async Task BrokenConnection_EndsEveryStream_AndTheLinkTakesNoMore()
    {
        var stream = _client.Open()!;
        await stream.WriteAsync("x"u8.ToArray());
        await AcceptAsync();
        var read = stream.ReadAsync(new byte[8]).AsTask();

        await _toClient.Writer.CompleteAsync();

        Assert.Equal(0, await Eventually.Completes(read));
        await Assert.ThrowsAsync<IOException>(async () => await stream.WriteAsync("y"u8.ToArray()));
        Assert.True(_client.IsBroken);
        Assert.Null(_client.Open());
    }

    [Fact]
    public async Task GoAway_OpenStreamsFinish_NewOnesGoElsewhere_ThenTheClientCloses()
    {
        var stream = _client.Open()!;
        await stream.WriteAsync("x"u8.ToArray());
        var accepted = await AcceptAsync();

        _server.GoAway();
        await Eventually.WaitAsync(() => !_client.IsUsable, "the client to hear the go-away");

        Assert.Null(_client.Open());
        await accepted.WriteAsync("answer"u8.ToArray());
        Assert.Equal("answer", await ReadTextAsync(stream, 6));

        await stream.DisposeAsync();
        _release.SetResult();
        await Eventually.WaitAsync(() => _client.IsBroken, "the client to close the idle link");
    }

    [Fact]
    public async Task GoAway_StreamsTheServerClosed_DoNotKeepTheLinkOpen()
    {
        var pooled = _client.Open()!;
        await pooled.WriteAsync("x"u8.ToArray());
        var accepted = await AcceptAsync();

        _server.GoAway();
        await accepted.DisposeAsync();

        // The client's stream is still open on its side (idle in a pool), but can carry nothing more.
        await Eventually.WaitAsync(() => _client.IsBroken, "the client to close a link that only holds closed streams");
        Assert.False(pooled.IsClosed);
    }

    [Fact]
    public async Task PendingRead_Cancelled_Throws_AndLaterBytesStillArrive()
    {
        var stream = _client.Open()!;
        await stream.WriteAsync("x"u8.ToArray());
        var accepted = await AcceptAsync();
        using var cancel = new CancellationTokenSource();
        var read = stream.ReadAsync(new byte[8], cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(read));
        await accepted.WriteAsync("later"u8.ToArray());
        Assert.Equal("later", await ReadTextAsync(stream, 5));
    }

    [Fact]
    public async Task StreamsOpenedOutOfOrder_AreAProtocolError_ThatEndsTheLink()
    {
        var frames = new byte[2 * LinkFrame.HeaderSize];
        LinkFrame.WriteHeader(frames, LinkFrameType.Open, 2, 0);
        LinkFrame.WriteHeader(frames.AsSpan(LinkFrame.HeaderSize), LinkFrameType.Open, 1, 0);

        await _toServer.Writer.WriteAsync(frames);

        await Eventually.WaitAsync(() => _server.IsBroken, "the server to refuse the link");
        _release.SetResult();
        await Eventually.Completes(_serverRun);
    }

    private static async Task<string> ReadTextAsync(LinkStream stream, int length)
    {
        var buffer = new byte[length];
        var total = 0;
        while (total < length)
        {
            var read = await Eventually.Completes(stream.ReadAsync(buffer.AsMemory(total)));
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return System.Text.Encoding.ASCII.GetString(buffer, 0, total);
    }
}
