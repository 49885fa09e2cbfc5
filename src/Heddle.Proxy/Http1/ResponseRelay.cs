using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using Heddle.Proxy.Async;
using Heddle.Proxy.Forwarding;
using Heddle.Proxy.Telemetry;

namespace Heddle.Proxy.Http1;

/// <summary>How relaying a response ended.</summary>
internal enum RelayOutcome
{
    Complete,

    /// <summary>The upstream connection broke or its framing was wrong after the head went out (UC).</summary>
    UpstreamFailed,

    /// <summary>The client went away (DC).</summary>
    DownstreamFailed,
}

/// <summary>
/// Writes responses to the downstream connection: an upstream response relayed with its framing copied through
/// (Content-Length, chunked, or until the upstream closes), and the proxy's own short answers.
/// </summary>
internal static class ResponseRelay
{
    private const int ReadSize = 16 * 1024;

    /// <summary>Relays the response whose head is at the start of the connection's buffer; pools or closes the connection.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public static async ValueTask<RelayOutcome> RelayAsync(
        Http1Exchange exchange, UpstreamConnectionPool.HopPool pool, UpstreamConnection connection, ResponseHead head, string? peerMetadata, HopSettings settings)
    {
        var output = exchange.Output;
        var framing = head.Framing(exchange.IsHead);
        if (framing == BodyFraming.UntilClose)
        {
            exchange.CloseAfter = true;
        }

        var headBytes = connection.Buffered[..head.Length];
        var span = output.GetSpan(HeadWriter.MaxResponseLength(head.Length, peerMetadata));
        var written = HeadWriter.WriteResponse(span, headBytes, head, peerMetadata, exchange.CloseAfter);
        output.Advance(written);
        connection.Consume(head.Length);
        exchange.StatusCode = head.Status;
        exchange.ResponseBytes = head.ContentLength > 0 ? head.ContentLength : 0;
        exchange.ResponseStarted = true;

        var reusable = !head.ConnectionClose;
        RelayOutcome outcome;
        try
        {
            outcome = framing switch
            {
                BodyFraming.None => RelayOutcome.Complete,
                BodyFraming.ContentLength => await CopyLengthAsync(exchange, connection, head.ContentLength, settings.ActivityTimeout).ConfigureAwait(false),
                BodyFraming.Chunked => await CopyChunkedAsync(exchange, connection, settings.ActivityTimeout).ConfigureAwait(false),
                _ => await CopyUntilCloseAsync(exchange, connection, settings.ActivityTimeout).ConfigureAwait(false),
            };
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or AuthenticationException or OperationCanceledException)
        {
            outcome = RelayOutcome.UpstreamFailed;
        }

        if (framing == BodyFraming.UntilClose)
        {
            reusable = false;
        }

        // The response is read to its end: the upstream connection is free before the last bytes go to the client, so a
        // request that arrives meanwhile finds it pooled.
        UpstreamTry.Release(pool, connection, reusable && outcome == RelayOutcome.Complete, settings);
        if (outcome == RelayOutcome.Complete && !await FlushAsync(exchange).ConfigureAwait(false))
        {
            outcome = RelayOutcome.DownstreamFailed;
        }

        if (outcome != RelayOutcome.Complete)
        {
            exchange.CloseAfter = true;
        }

        return outcome;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<RelayOutcome> CopyLengthAsync(Http1Exchange exchange, UpstreamConnection connection, long length, TimeSpan timeout)
    {
        var output = exchange.Output;
        var buffered = connection.Buffered;
        var first = (int)Math.Min(buffered.Length, length);
        if (first > 0)
        {
            output.Write(buffered[..first]);
            connection.Consume(first);
            length -= first;
        }

        while (length > 0)
        {
            if (!await FlushAsync(exchange).ConfigureAwait(false))
            {
                return RelayOutcome.DownstreamFailed;
            }

            var memory = output.GetMemory(ReadSize);
            var want = (int)Math.Min(memory.Length, length);
            var read = await ReadAsync(exchange, connection, memory[..want], timeout).ConfigureAwait(false);
            if (read == 0)
            {
                return RelayOutcome.UpstreamFailed;
            }

            output.Advance(read);
            length -= read;
        }

        return RelayOutcome.Complete;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<RelayOutcome> CopyChunkedAsync(Http1Exchange exchange, UpstreamConnection connection, TimeSpan timeout)
    {
        var output = exchange.Output;
        var scanner = new ChunkedScanner();
        var buffered = connection.Buffered;
        if (!buffered.IsEmpty)
        {
            var taken = scanner.Advance(buffered);
            if (taken < 0)
            {
                return RelayOutcome.UpstreamFailed;
            }

            output.Write(buffered[..taken]);
            connection.Consume(taken);
        }

        while (!scanner.IsDone)
        {
            if (!await FlushAsync(exchange).ConfigureAwait(false))
            {
                return RelayOutcome.DownstreamFailed;
            }

            var memory = output.GetMemory(ReadSize);
            var read = await ReadAsync(exchange, connection, memory, timeout).ConfigureAwait(false);
            if (read == 0)
            {
                return RelayOutcome.UpstreamFailed;
            }

            var taken = scanner.Advance(memory.Span[..read]);
            if (taken < 0)
            {
                return RelayOutcome.UpstreamFailed;
            }

            output.Advance(taken);
            if (taken < read)
            {
                // Bytes after the end of the message: the connection is out of step, so it is not reused.
                return RelayOutcome.UpstreamFailed;
            }
        }

        return RelayOutcome.Complete;
    }

    private static async ValueTask<RelayOutcome> CopyUntilCloseAsync(Http1Exchange exchange, UpstreamConnection connection, TimeSpan timeout)
    {
        var output = exchange.Output;
        var buffered = connection.Buffered;
        if (!buffered.IsEmpty)
        {
            output.Write(buffered);
            connection.Consume(buffered.Length);
        }

        while (true)
        {
            if (!await FlushAsync(exchange).ConfigureAwait(false))
            {
                return RelayOutcome.DownstreamFailed;
            }

            var memory = output.GetMemory(ReadSize);
            var read = await ReadAsync(exchange, connection, memory, timeout).ConfigureAwait(false);
            if (read == 0)
            {
                return RelayOutcome.Complete;
            }

            output.Advance(read);
        }
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<int> ReadAsync(Http1Exchange exchange, UpstreamConnection connection, Memory<byte> memory, TimeSpan timeout)
    {
        try
        {
            return await connection.Stream.ReadAsync(memory, exchange.Activity.Start(timeout)).ConfigureAwait(false);
        }
        finally
        {
            exchange.Activity.Stop();
        }
    }

    /// <summary>False when the client is gone.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public static async ValueTask<bool> FlushAsync(Http1Exchange exchange)
    {
        try
        {
            var result = await exchange.Output.FlushAsync().ConfigureAwait(false);
            return !result.IsCompleted && !result.IsCanceled;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The proxy's own answer (the general path's local-reply bodies), unless the response already started.</summary>
    public static async ValueTask WriteLocalReplyAsync(Http1Exchange exchange, int status, ResponseFlags flags, TimeProvider timeProvider)
    {
        if (exchange.ResponseStarted)
        {
            exchange.CloseAfter = true;
            return;
        }

        var body = LocalReply.BodyFor(flags);
        await WriteAnswerAsync(exchange, status, body, timeProvider).ConfigureAwait(false);
    }

    /// <summary>A short text/plain answer with its length.</summary>
    public static async ValueTask WriteAnswerAsync(Http1Exchange exchange, int status, ReadOnlyMemory<byte> body, TimeProvider timeProvider)
    {
        var output = exchange.Output;
        var span = output.GetSpan(HeadWriter.MaxLocalReplyHeadLength + body.Length);
        var written = HeadWriter.WriteLocalReply(span, status, body.Length, exchange.CloseAfter, timeProvider.GetUtcNow());
        body.Span.CopyTo(span[written..]);
        output.Advance(written + body.Length);
        exchange.StatusCode = status;
        exchange.ResponseBytes = body.Length;
        exchange.ResponseStarted = true;
        if (!await FlushAsync(exchange).ConfigureAwait(false))
        {
            exchange.CloseAfter = true;
        }
    }
}
