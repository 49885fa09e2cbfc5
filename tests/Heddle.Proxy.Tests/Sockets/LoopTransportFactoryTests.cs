using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Heddle.Proxy.Sockets;
using Heddle.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;

namespace Heddle.Proxy.Tests.Sockets;

/// <summary>The transport Kestrel binds the proxy's listeners with: the same connection contract as Kestrel's own.</summary>
public sealed class LoopTransportFactoryTests
{
    private static async Task<(IConnectionListener Listener, Socket Client, ConnectionContext Connection)> AcceptedAsync()
    {
        var listener = await new LoopTransportFactory().BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.EndPoint);
        var connection = await listener.AcceptAsync();
        Assert.NotNull(connection);
        return (listener, client, connection);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    [Fact]
    public async Task BindAsync_OnPortZero_ReportsTheBoundPort()
    {
        await using var listener = await new LoopTransportFactory().BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.NotEqual(0, ((IPEndPoint)listener.EndPoint).Port);
    }

    [Fact]
    public async Task AcceptedConnection_CarriesBytesBothWays()
    {
        var (listener, client, connection) = await AcceptedAsync();
        await using (listener)
        using (client)
        {
            Assert.Equal(client.LocalEndPoint, connection.RemoteEndPoint);
            await client.SendAsync("ping"u8.ToArray());
            var result = await Eventually.Completes(connection.Transport.Input.ReadAsync());
            Assert.Equal("ping", Encoding.ASCII.GetString(result.Buffer.ToArray()));
            connection.Transport.Input.AdvanceTo(result.Buffer.End);

            await connection.Transport.Output.WriteAsync("pong"u8.ToArray());
            var buffer = new byte[16];
            Assert.Equal(4, await client.ReceiveAsync(buffer));
            Assert.Equal("pong", Encoding.ASCII.GetString(buffer, 0, 4));
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task HalfClose_CompletesTheInput_AndTheOutputStillReachesTheClient()
    {
        var (listener, client, connection) = await AcceptedAsync();
        await using (listener)
        using (client)
        {
            await client.SendAsync("last words"u8.ToArray());
            client.Shutdown(SocketShutdown.Send);

            var input = connection.Transport.Input;
            var result = await Eventually.Completes(input.ReadAsync());
            while (!result.IsCompleted)
            {
                input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                result = await Eventually.Completes(input.ReadAsync());
            }

            Assert.Equal("last words", Encoding.ASCII.GetString(result.Buffer.ToArray()));
            input.AdvanceTo(result.Buffer.End);
            await connection.Transport.Output.WriteAsync("reply after the client's end"u8.ToArray());
            await connection.Transport.Output.CompleteAsync();

            Assert.Equal("reply after the client's end", await Eventually.Completes(ReadToEndAsync(client)));
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task Abort_ClosesTheSocket_AndFiresConnectionClosed()
    {
        var (listener, client, connection) = await AcceptedAsync();
        await using (listener)
        using (client)
        {
            var closed = new TaskCompletionSource();
            connection.ConnectionClosed.Register(() => closed.SetResult());

            connection.Abort(new ConnectionAbortedException("test"));

            Assert.Equal("", await Eventually.Completes(ReadToEndAsync(client)));
            await Eventually.Completes(closed.Task);
            await Assert.ThrowsAsync<ConnectionAbortedException>(async () => await connection.Transport.Input.ReadAsync());
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClientGoingAway_CompletesTheInput()
    {
        var (listener, client, connection) = await AcceptedAsync();
        await using (listener)
        {
            client.Dispose();

            var result = await Eventually.Completes(connection.Transport.Input.ReadAsync());
            Assert.True(result.IsCompleted);
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task UnbindAsync_EndsAPendingAccept()
    {
        var listener = await new LoopTransportFactory().BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        var accepting = listener.AcceptAsync();

        await listener.UnbindAsync();

        Assert.Null(await Eventually.Completes(accepting));
        await listener.DisposeAsync();
    }

    [Fact]
    public async Task BindAsync_OnAPortInUse_ReportsAddressInUse()
    {
        await using var first = await new LoopTransportFactory().BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

        await Assert.ThrowsAsync<AddressInUseException>(async () => await new LoopTransportFactory().BindAsync(first.EndPoint));
    }

    [Fact]
    public void CanBind_OnlyIpEndpoints() =>
        Assert.False(new LoopTransportFactory().CanBind(new UnixDomainSocketEndPoint("/tmp/heddle-test.sock")));
}
