using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Heddle.Proxy.Listeners;

/// <summary>
/// Copies the bytes of one TCP connection both ways between the accepted connection's pipes and an upstream stream
/// (a socket, or TLS over one): the client sidecar's relay and the server sidecar's inbound tunnel share it.
/// </summary>
internal static class TcpRelay
{
    private const int ReadSize = 16 * 1024;

    /// <summary>
    /// Copies both directions until both ended. The downstream closing its side is passed on as a half-close (the
    /// upstream may still answer: the socket shuts down sending, also under TLS); the upstream closing, or either
    /// side failing, ends the relay. The counts survive failures.
    /// </summary>
    public static async Task PumpAsync(IDuplexPipe downstream, Stream upstream, Socket socket, RelayCounts counts)
    {
        var toUpstream = CopyToUpstreamAsync(downstream.Input, upstream, socket, counts);
        var toDownstream = CopyToDownstreamAsync(upstream, downstream.Output, counts);
        var first = await Task.WhenAny(toUpstream, toDownstream).ConfigureAwait(false);
        if (first == toDownstream)
        {
            downstream.Input.CancelPendingRead();
        }
        else if (!toUpstream.IsCompletedSuccessfully)
        {
            socket.Close();
        }

        await Observe(toUpstream).ConfigureAwait(false);
        await Observe(toDownstream).ConfigureAwait(false);
    }

    /// <summary>Writes bytes that arrived from the upstream together with a preface answer, before the relay starts.</summary>
    public static async ValueTask<bool> ForwardBufferedAsync(PipeReader upstreamReader, PipeWriter downstream, RelayCounts counts)
    {
        if (!upstreamReader.TryRead(out var result))
        {
            return true;
        }

        var buffer = result.Buffer;
        foreach (var segment in buffer)
        {
            downstream.Write(segment.Span);
        }

        counts.ToDownstream += buffer.Length;
        upstreamReader.AdvanceTo(buffer.End);
        var flush = await downstream.FlushAsync().ConfigureAwait(false);
        return !flush.IsCompleted;
    }

    private static async Task Observe(Task copy)
    {
        try
        {
            await copy.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ConnectionResetException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private static async Task CopyToUpstreamAsync(PipeReader input, Stream upstream, Socket socket, RelayCounts counts)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await upstream.WriteAsync(segment).ConfigureAwait(false);
                    counts.FromDownstream += segment.Length;
                }

                input.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        finally
        {
            try
            {
                // Beneath TLS too: the peer's TLS stream reads the end of the stream while this side can still read
                // (a TLS close_notify would end reading here as well).
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task CopyToDownstreamAsync(Stream upstream, PipeWriter output, RelayCounts counts)
    {
        try
        {
            while (true)
            {
                var memory = output.GetMemory(ReadSize);
                var read = await upstream.ReadAsync(memory).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                output.Advance(read);
                counts.ToDownstream += read;
                var flush = await output.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        finally
        {
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Bytes a relay moved: from the downstream to the upstream, and back.</summary>
internal sealed class RelayCounts
{
    public long FromDownstream;

    public long ToDownstream;
}
