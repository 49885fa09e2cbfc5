using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using Heddle.Proxy.Async;
using Heddle.Proxy.Links;

namespace Heddle.Proxy.Http1;

/// <summary>How one try towards a next hop ended before its response body.</summary>
internal enum TryOutcome
{
    /// <summary>A response head arrived; its connection holds the rest.</summary>
    Response,

    /// <summary>The connection could not be opened (UF).</summary>
    ConnectFailure,

    /// <summary>The connection broke, or the answer was not HTTP, before a response head (UC).</summary>
    Reset,

    /// <summary>The route timeout expired (UT).</summary>
    TimedOut,
}

/// <summary>The result of <see cref="UpstreamTry.SendAsync"/>.</summary>
internal readonly record struct TryResult(TryOutcome Outcome, UpstreamConnection? Connection, ResponseHead Head);

/// <summary>What a pooled connection to a next hop may do: how long it waits to open, idles, and how many requests it carries.</summary>
/// <param name="ActivityTimeout">How long a try may move no bytes before it is abandoned (504 UT).</param>
internal readonly record struct HopSettings(TimeSpan ConnectTimeout, TimeSpan IdleTimeout, int MaxRequestsPerConnection, TimeSpan ActivityTimeout);

/// <summary>
/// One try: sends the request on a pooled connection (or a new one) and reads the response head. A pooled connection
/// that fails before any response byte may have been closed by the next hop while idle, and a new link stream may have
/// been refused by a draining peer: the request is sent once more on a new connection, as HTTP clients do.
/// </summary>
internal static class UpstreamTry
{
    /// <param name="headLength">The length of the head at the start of <paramref name="request"/> (the body follows).</param>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public static async ValueTask<TryResult> SendAsync(
        UpstreamConnectionPool.HopPool pool, ReadOnlyMemory<byte> request, int headLength, HopSettings settings, ActivityTimer activity)
    {
        var tls = pool.CurrentTls();
        var reused = pool.TryRent(tls, settings.IdleTimeout);
        var retried = false;
        while (true)
        {
            var connection = reused ?? await pool.ConnectAsync(tls, settings.ConnectTimeout).ConfigureAwait(false);
            if (connection is null)
            {
                return new TryResult(TryOutcome.ConnectFailure, null, default);
            }

            connection.Requests++;
            // The connection's last request under maxRequestsPerConnection asks the next hop to close it.
            var last = settings.MaxRequestsPerConnection > 0 && connection.Requests >= settings.MaxRequestsPerConnection;

            // The exchange: the request out, then the response head in (interim 1xx answers skipped).
            var status = HeadStatus.Incomplete;
            ResponseHead head = default;
            var receivedAny = false;
            var cancellationToken = activity.Start(settings.ActivityTimeout);
            try
            {
                if (!last)
                {
                    await connection.Stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await connection.Stream.WriteAsync(request[..(headLength - 2)], cancellationToken).ConfigureAwait(false);
                    await connection.Stream.WriteAsync(CloseField, cancellationToken).ConfigureAwait(false);
                    await connection.Stream.WriteAsync(request[headLength..], cancellationToken).ConfigureAwait(false);
                }

                while (true)
                {
                    status = ResponseHeadParser.Parse(connection.Buffered, out head);
                    if (status == HeadStatus.Complete)
                    {
                        receivedAny = true;
                        if (head.Status is >= 100 and < 200 && head.Status != 101)
                        {
                            // An interim response (100 Continue, 103 Early Hints): the final one follows.
                            connection.Consume(head.Length);
                            continue;
                        }

                        if (head.Status == 101)
                        {
                            status = HeadStatus.BadRequest;
                        }

                        break;
                    }

                    if (status != HeadStatus.Incomplete)
                    {
                        receivedAny = true;
                        break;
                    }

                    int read;
                    if (connection.CanFillDirectly)
                    {
                        while ((read = connection.TryFill()) < 0)
                        {
                            await connection.WaitReadableAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }
                    else
                    {
                        read = await connection.FillAsync(cancellationToken).ConfigureAwait(false);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    receivedAny = true;
                    cancellationToken = activity.Start(settings.ActivityTimeout);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
            {
                status = HeadStatus.Incomplete;
            }
            finally
            {
                activity.Stop();
            }

            if (status == HeadStatus.Complete)
            {
                return new TryResult(TryOutcome.Response, connection, head);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            if (activity.Expired)
            {
                return new TryResult(TryOutcome.TimedOut, null, default);
            }

            if (!receivedAny && !retried && (reused is not null || connection.Stream is LinkStream { WasRefused: true }))
            {
                // A stale pooled connection, or a new stream of a link that a draining peer refused: once more on a
                // new one.
                reused = null;
                retried = true;
                continue;
            }

            return new TryResult(TryOutcome.Reset, null, default);
        }
    }

    private static ReadOnlyMemory<byte> CloseField { get; } = "Connection: close\r\n\r\n"u8.ToArray();

    /// <summary>Reads and drops the rest of a response that will not be relayed (held back for a retry), then pools the
    /// connection when it can carry another request; a body that is not already buffered closes it instead.</summary>
    public static void Discard(UpstreamConnectionPool.HopPool pool, UpstreamConnection connection, in ResponseHead head, bool requestWasHead, HopSettings settings)
    {
        var framing = head.Framing(requestWasHead);
        var bodyBytes = framing == BodyFraming.ContentLength ? head.ContentLength : 0;
        var reusable = !head.ConnectionClose && framing is BodyFraming.None or BodyFraming.ContentLength
            && connection.Buffered.Length - head.Length == bodyBytes;
        connection.Consume(head.Length);
        if (reusable)
        {
            connection.Consume(connection.Buffered.Length);
            Release(pool, connection, reusable: true, settings);
        }
        else
        {
            _ = connection.DisposeAsync();
        }
    }

    /// <summary>Pools a connection after its response, or closes it (not reusable, or its request budget is spent).</summary>
    public static void Release(UpstreamConnectionPool.HopPool pool, UpstreamConnection connection, bool reusable, HopSettings settings)
    {
        if (reusable && connection.Buffered.IsEmpty
            && (settings.MaxRequestsPerConnection <= 0 || connection.Requests < settings.MaxRequestsPerConnection))
        {
            pool.Return(connection);
        }
        else
        {
            _ = connection.DisposeAsync();
        }
    }
}
