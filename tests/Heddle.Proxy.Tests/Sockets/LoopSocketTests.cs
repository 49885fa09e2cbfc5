using System.Net;
using System.Net.Sockets;
using Heddle.Proxy.Sockets;
using Heddle.Proxy.Tests.Infrastructure;

namespace Heddle.Proxy.Tests.Sockets;

/// <summary>The event loop's sockets against real kernel sockets on loopback.</summary>
public sealed class LoopSocketTests : IDisposable
{
    private readonly LoopSocketPairs _pairs = new();

    public void Dispose() => _pairs.Dispose();

    [Fact]
    public async Task ReceiveAsync_WaitsForBytesThatArriveLater()
    {
        var (client, server) = await _pairs.ConnectAsync();
        using (client)
        using (server)
        {
            var buffer = new byte[64];
            var receiving = client.ReceiveAsync(buffer, CancellationToken.None);
            Assert.False(receiving.IsCompleted);

            await server.SendAsync("hello"u8.ToArray());

            Assert.Equal(5, await Eventually.Completes(receiving));
            Assert.Equal("hello"u8.ToArray(), buffer[..5]);
        }
    }

    [Fact]
    public async Task ReceiveAsync_AfterAShortRead_GetsTheNextArrival()
    {
        var (client, server) = await _pairs.ConnectAsync();
        using (client)
        using (server)
        {
            var buffer = new byte[64];
            await server.SendAsync("one"u8.ToArray());
            Assert.Equal(3, await client.ReceiveAsync(buffer, CancellationToken.None));

            // The short read marked the socket drained; the next bytes must still wake the reader.
            var receiving = client.ReceiveAsync(buffer, CancellationToken.None);
            await server.SendAsync("two!"u8.ToArray());

            Assert.Equal(4, await Eventually.Completes(receiving));
            Assert.Equal("two!"u8.ToArray(), buffer[..4]);
        }
    }

    [Fact]
    public async Task ReceiveAsync_ReadsInPiecesWhenTheBufferIsSmallerThanWhatArrived()
    {
        var (client, server) = await _pairs.ConnectAsync();
        using (client)
        using (server)
        {
            await server.SendAsync(new byte[10_000]);
            var total = 0;
            var buffer = new byte[1_000];
            while (total < 10_000)
            {
                total += await client.ReceiveAsync(buffer, CancellationToken.None);
            }

            Assert.Equal(10_000, total);
        }
    }

    [Fact]
    public async Task ReceiveAsync_ReturnsZeroAtTheEndOfTheStream()
    {
        var (client, server) = await _pairs.ConnectAsync();
        using (client)
        {
            var receiving = client.ReceiveAsync(new byte[16], CancellationToken.None);
            server.Shutdown(SocketShutdown.Send);

            Assert.Equal(0, await Eventually.Completes(receiving));
            server.Dispose();
        }
    }

    [Fact]
    public async Task ReceiveAsync_ThrowsConnectionResetWhenThePeerAborts()
    {
        var (client, server) = await _pairs.ConnectAsync();
        using (client)
        {
            var receiving = client.ReceiveAsync(new byte[16], CancellationToken.None);
            server.LingerState = new LingerOption(true, 0);
            server.Dispose();

            var error = await Assert.ThrowsAsync<SocketException>(async () => await Eventually.Completes(receiving));
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        }
    }

    [Fact]
    public async Task ReceiveAsync_IsCancelledByItsToken()
    {
        var (client, server) = await _pairs.ConnectAsync();
        using (client)
        using (server)
        using (var cancellation = new CancellationTokenSource())
        {
            var receiving = client.ReceiveAsync(new byte[16], cancellation.Token);
            cancellation.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Eventually.Completes(receiving));

            // The socket still works afterwards.
            await server.SendAsync("x"u8.ToArray());
            Assert.Equal(1, await Eventually.Completes(client.ReceiveAsync(new byte[16], CancellationToken.None)));
        }
    }

    [Fact]
    public async Task Dispose_WakesAWaitingReceiveWithObjectDisposed()
    {
        var (client, server) = await _pairs.ConnectAsync();
        using (server)
        {
            var receiving = client.ReceiveAsync(new byte[16], CancellationToken.None);
            client.Dispose();

            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await Eventually.Completes(receiving));
        }
    }

    [Fact]
    public async Task SendAsync_WaitsForRoomWhenThePeerIsNotReading()
    {
        var (client, server) = await _pairs.ConnectAsync();
        using (client)
        using (server)
        {
            var payload = new byte[8 * 1024 * 1024];
            Random.Shared.NextBytes(payload);
            var sending = client.SendAsync(payload, CancellationToken.None).AsTask();
            Assert.False(sending.IsCompleted);

            var received = new MemoryStream();
            var buffer = new byte[64 * 1024];
            while (received.Length < payload.Length)
            {
                var read = await server.ReceiveAsync(buffer);
                received.Write(buffer, 0, read);
            }

            await Eventually.Completes(sending);
            Assert.Equal(payload, received.ToArray());
        }
    }

    [Fact]
    public async Task ConnectAsync_ToAClosedPortIsRefused()
    {
        var port = _pairs.Address.Port;
        _pairs.Dispose();

        var error = await Assert.ThrowsAsync<SocketException>(
            async () => await LoopSocket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), EventLoop.Shared, CancellationToken.None));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task ManyConnectionsEchoConcurrently()
    {
        var pairs = new List<(LoopSocket Client, Socket Server)>();
        for (var i = 0; i < 50; i++)
        {
            pairs.Add(await _pairs.ConnectAsync());
        }

        try
        {
            await Task.WhenAll(pairs.Select(async (pair, index) =>
            {
                var echo = EchoAsync(pair.Server);
                for (var round = 0; round < 100; round++)
                {
                    var message = BitConverter.GetBytes(index * 1000 + round);
                    await pair.Client.SendAsync(message, CancellationToken.None);
                    var buffer = new byte[4];
                    var read = 0;
                    while (read < 4)
                    {
                        read += await pair.Client.ReceiveAsync(buffer.AsMemory(read), CancellationToken.None);
                    }

                    Assert.Equal(message, buffer);
                }

                pair.Client.Socket.Shutdown(SocketShutdown.Send);
                await Eventually.Completes(echo);
            }));
        }
        finally
        {
            foreach (var (client, server) in pairs)
            {
                client.Dispose();
                server.Dispose();
            }
        }
    }

    private static async Task EchoAsync(Socket socket)
    {
        var buffer = new byte[1024];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, read));
        }
    }
}
