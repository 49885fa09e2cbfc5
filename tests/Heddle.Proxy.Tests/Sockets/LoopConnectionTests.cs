using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Heddle.Proxy.Sockets;
using Heddle.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;

namespace Heddle.Proxy.Tests.Sockets;

/// <summary>A connection's pipes, read and written straight on its socket (LoopPipeReader, LoopPipeWriter).</summary>
public sealed class LoopConnectionTests : IAsyncLifetime
{
    private IConnectionListener _listener = null!;
    private Socket _client = null!;
    private ConnectionContext _connection = null!;

    public async Task InitializeAsync()
    {
        _listener = await new LoopTransportFactory().BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await _client.ConnectAsync(_listener.EndPoint);
        _connection = (await _listener.AcceptAsync())!;
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        _client.Dispose();
        await _listener.DisposeAsync();
    }

    [Fact]
    public async Task ReadAsync_AfterEverythingWasExamined_WaitsForMoreAndReturnsItAll()
    {
        var input = _connection.Transport.Input;
        await _client.SendAsync("GET / HT"u8.ToArray());
        var first = await input.ReadAsync();
        Assert.Equal("GET / HT", Encoding.ASCII.GetString(first.Buffer.ToArray()));
        input.AdvanceTo(first.Buffer.Start, first.Buffer.End);

        var second = input.ReadAsync();
        Assert.False(second.IsCompleted);
        await _client.SendAsync("TP/1.1\r\n"u8.ToArray());

        var result = await Eventually.Completes(second);
        Assert.Equal("GET / HTTP/1.1\r\n", Encoding.ASCII.GetString(result.Buffer.ToArray()));
        input.AdvanceTo(result.Buffer.End);
    }

    [Fact]
    public async Task ReadAsync_GrowsPastItsFirstBufferForALargeUnconsumedHead()
    {
        var input = _connection.Transport.Input;
        var head = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nX: " + new string('a', 20_000) + "\r\n\r\n");
        await _client.SendAsync(head);

        ReadResult result;
        while (true)
        {
            result = await input.ReadAsync();
            if (result.Buffer.Length == head.Length)
            {
                break;
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        Assert.Equal(head, result.Buffer.ToArray());
        input.AdvanceTo(result.Buffer.End);
    }

    [Fact]
    public async Task CancelPendingRead_WakesAWaitingRead()
    {
        var input = _connection.Transport.Input;
        var reading = input.ReadAsync();

        input.CancelPendingRead();

        Assert.True((await Eventually.Completes(reading)).IsCanceled);
    }

    [Fact]
    public async Task FlushAsync_OfMoreThanTheKernelTakes_CompletesAsTheClientReads_InOrder()
    {
        var output = _connection.Transport.Output;
        var payload = new byte[6 * 1024 * 1024];
        Random.Shared.NextBytes(payload);
        output.Write(payload.AsSpan(0, 4 * 1024 * 1024));
        var flushing = output.FlushAsync();
        Assert.False(flushing.IsCompleted);

        // Written while the first flush waits: sent after it.
        output.Write(payload.AsSpan(4 * 1024 * 1024));
        var receiving = ReceiveAsync(_client, payload.Length);
        Assert.False((await Eventually.Completes(flushing)).IsCompleted);
        Assert.False((await Eventually.Completes(output.FlushAsync())).IsCompleted);

        Assert.Equal(payload, await Eventually.Completes(receiving));
    }

    [Fact]
    public async Task Complete_SendsWhatWasWrittenButNotFlushed_ThenEndsTheStream()
    {
        var output = _connection.Transport.Output;
        var large = new byte[4 * 1024 * 1024];
        Random.Shared.NextBytes(large);
        output.Write(large);
        var flushing = output.FlushAsync();
        output.Write("tail"u8);

        var receiving = ReceiveToEndAsync(_client);
        await Eventually.Completes(flushing);
        await output.CompleteAsync();

        var received = await Eventually.Completes(receiving);
        Assert.Equal(large.Length + 4, received.Length);
        Assert.Equal(large, received[..large.Length]);
        Assert.Equal("tail"u8.ToArray(), received[large.Length..]);
    }

    [Fact]
    public async Task ClientGoingAwayWhileNobodyReads_FiresConnectionClosed()
    {
        var closed = new TaskCompletionSource();
        _connection.ConnectionClosed.Register(() => closed.SetResult());

        _client.Shutdown(SocketShutdown.Both);
        _client.Dispose();

        await Eventually.Completes(closed.Task);
    }

    [Fact]
    public async Task FlushAsync_AfterTheClientReset_ReportsTheOutputCompleted()
    {
        _client.LingerState = new LingerOption(true, 0);
        _client.Dispose();
        await Task.Delay(100);

        var output = _connection.Transport.Output;
        FlushResult result = default;
        for (var i = 0; i < 10 && !result.IsCompleted; i++)
        {
            await output.WriteAsync(new byte[64 * 1024]);
            result = await output.FlushAsync();
        }

        Assert.True(result.IsCompleted);
    }

    [Fact]
    public async Task TlsOverTheConnection_AfterItsFirstBytesWereSniffed_CarriesDataBothWays()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=loop", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(10));
        using var client = new System.Net.Security.SslStream(new NetworkStream(_client), leaveInnerStreamOpen: true, (_, _, _, _) => true);
        var clientHandshake = client.AuthenticateAsClientAsync("loop");

        // The listener looks at the ClientHello without consuming it, as the protocol sniffer does.
        var input = _connection.Transport.Input;
        var peeked = await input.ReadAsync();
        Assert.Equal(0x16, peeked.Buffer.FirstSpan[0]);
        input.AdvanceTo(peeked.Buffer.Start, peeked.Buffer.End);

        using var server = new System.Net.Security.SslStream(new Heddle.Proxy.Security.DuplexPipeStream(_connection.Transport));
        await server.AuthenticateAsServerAsync(certificate);
        await clientHandshake;

        var payload = new byte[200_000];
        Random.Shared.NextBytes(payload);
        var serverReads = ReadExactlyAsync(server, payload.Length);
        await client.WriteAsync(payload);
        Assert.Equal(payload, await serverReads);

        var clientReads = ReadExactlyAsync(client, payload.Length);
        await server.WriteAsync(payload);
        Assert.Equal(payload, await clientReads);
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int length)
    {
        var received = new byte[length];
        await stream.ReadExactlyAsync(received);
        return received;
    }

    private static async Task<byte[]> ReceiveToEndAsync(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return received.ToArray();
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int length)
    {
        var received = new byte[length];
        var total = 0;
        while (total < length)
        {
            var read = await socket.ReceiveAsync(received.AsMemory(total));
            Assert.NotEqual(0, read);
            total += read;
        }

        return received;
    }
}
