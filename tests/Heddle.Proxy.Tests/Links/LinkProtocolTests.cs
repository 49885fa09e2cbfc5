using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Heddle.Proxy.Links;
using Heddle.Proxy.Tests.Infrastructure;

namespace Heddle.Proxy.Tests.Links;

/// <summary>
/// One side of a link against a peer written frame by frame: refusals say so, and a peer that breaks the window's
/// rules ends the link instead of making this side buffer without bound.
/// </summary>
public sealed class LinkProtocolTests : IAsyncLifetime
{
    private readonly Pipe _in = new();
    private readonly Pipe _out = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _in.Writer.CompleteAsync();
    }

    /// <summary>A server side whose streams are held open (unread) until the test ends.</summary>
    private (SidecarLink Link, Task Run) StartServer()
    {
        var link = new SidecarLink(_in.Reader, _out.Writer, _ => _release.Task, owner: null);
        return (link, link.RunAsync());
    }

    [Fact]
    public async Task DrainingServer_RefusesANewStream_Unserved()
    {
        var (server, _) = StartServer();
        server.GoAway();

        await SendAsync(LinkFrameType.Open, 1, []);

        Assert.Equal((LinkFrameType.GoAway, 0u, ""), await ReceiveAsync());
        Assert.Equal((LinkFrameType.Close, 1u, "01"), await ReceiveAsync());
    }

    [Fact]
    public async Task PeerSendingMoreThanTheWindow_EndsTheLink()
    {
        var (server, run) = StartServer();
        await SendAsync(LinkFrameType.Open, 1, []);
        var chunk = new byte[LinkFrame.MaxPayload];

        for (var sent = 0; sent <= LinkStream.Window; sent += chunk.Length)
        {
            await SendAsync(LinkFrameType.Data, 1, chunk);
        }

        await Eventually.WaitAsync(() => server.IsBroken, "the server to end the link");
        _release.SetResult();
        await Eventually.Completes(run);
    }

    [Fact]
    public async Task PeerGrantingMoreThanTheWindow_EndsTheLink()
    {
        var (server, _) = StartServer();
        await SendAsync(LinkFrameType.Open, 1, []);
        var grant = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(grant, int.MaxValue);

        await SendAsync(LinkFrameType.Window, 1, grant);

        await Eventually.WaitAsync(() => server.IsBroken, "the server to end the link");
    }

    [Fact]
    public async Task RefusedStream_EndsUnserved_OnTheClientSide()
    {
        var client = new SidecarLink(_in.Reader, _out.Writer, accept: null, owner: null);
        _ = client.RunAsync();
        var stream = client.Open()!;
        Assert.Equal((LinkFrameType.Open, stream.Id, ""), await ReceiveAsync());

        await SendAsync(LinkFrameType.Close, stream.Id, [1]);

        Assert.Equal(0, await Eventually.Completes(stream.ReadAsync(new byte[8])));
        Assert.True(stream.WasRefused);
        client.Break();
    }

    [Fact]
    public async Task ClosedByThePeer_IsNotARefusal()
    {
        var client = new SidecarLink(_in.Reader, _out.Writer, accept: null, owner: null);
        _ = client.RunAsync();
        var stream = client.Open()!;
        await ReceiveAsync();

        await SendAsync(LinkFrameType.Close, stream.Id, []);

        Assert.Equal(0, await Eventually.Completes(stream.ReadAsync(new byte[8])));
        Assert.False(stream.WasRefused);
        client.Break();
    }

    private async Task SendAsync(LinkFrameType type, uint stream, byte[] payload)
    {
        var frame = new byte[LinkFrame.HeaderSize + payload.Length];
        LinkFrame.WriteHeader(frame, type, stream, payload.Length);
        payload.CopyTo(frame, LinkFrame.HeaderSize);
        await _in.Writer.WriteAsync(frame);
    }

    /// <summary>The next frame the side under test wrote: its type, stream and payload in hex.</summary>
    private async Task<(LinkFrameType Type, uint Stream, string Payload)> ReceiveAsync()
    {
        while (true)
        {
            var result = await Eventually.Completes(_out.Reader.ReadAsync());
            var buffer = result.Buffer;
            if (LinkFrame.TryRead(ref buffer, out var type, out var stream, out var payload))
            {
                var hex = Convert.ToHexString(payload.ToArray());
                _out.Reader.AdvanceTo(buffer.Start);
                return (type, stream, hex);
            }

            _out.Reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
