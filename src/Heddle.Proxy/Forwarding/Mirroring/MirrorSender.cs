using System.Net;
using Heddle.Discovery;
using Heddle.Proxy.Routing.Actions;
using Heddle.Proxy.Upstreams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Heddle.Proxy.Forwarding.Mirroring;

/// <summary>
/// Istio's <c>mirror</c>/<c>mirrors</c>: a copy of the request goes to each mirror cluster (its share of requests),
/// with the Host / :authority suffixed "-shadow" (before the port, as Envoy does). Copies are fire-and-forget: their
/// answers are discarded and their failures never touch the primary request. A request with a body is copied once the
/// primary has read the body to the end, with the whole body, when it is at most <see cref="RequestBodyBuffer.Limit"/>
/// bytes (any framing: declared length, chunked, HTTP/2 and gRPC streams).
/// </summary>
internal sealed class MirrorSender(UpstreamClients clients, Random random, ILogger logger)
{
    /// <summary>How long a copy may take when the route sets no timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sends the copies: at once for a request without a body; otherwise the body is kept as the primary reads it and
    /// the copies go when it was read to the end (see <see cref="MirrorBody"/>). The returned body, if any, must be
    /// abandoned when the request ends.
    /// </summary>
    public MirrorBody? Send(HttpContext context, RouteActions actions, string? rewrittenPathAndQuery)
    {
        if (!RequestBodyBuffer.HasBody(context))
        {
            SendCopies(context, actions, rewrittenPathAndQuery, null);
            return null;
        }

        var body = new MirrorBody(context.Request.Body, RequestBodyBuffer.Limit, new PendingCopies(this, context, actions, rewrittenPathAndQuery));
        context.Request.Body = body;
        return body;
    }

    internal void SendCopies(HttpContext context, RouteActions actions, string? rewrittenPathAndQuery, byte[]? body)
    {
        foreach (var mirror in actions.Mirrors)
        {
            if (mirror.PerMillion < FaultPolicy.Million && random.Next(FaultPolicy.Million) >= mirror.PerMillion)
            {
                continue;
            }

            var endpoint = mirror.Cluster.LoadBalancer.Pick();
            if (endpoint is null)
            {
                continue;
            }

            HttpRequestMessage copy;
            UpstreamProtocol protocol;
            try
            {
                (copy, protocol) = CreateCopy(context, actions, endpoint, rewrittenPathAndQuery, body);
            }
            catch (Exception e) when (e is UriFormatException or InvalidOperationException or FormatException)
            {
                MirrorLog.CopyFailed(logger, mirror.Cluster.Name, e);
                continue;
            }

            _ = SendCopyAsync(copy, clients.For(protocol, endpoint.Plaintext), actions.Timeout > TimeSpan.Zero ? actions.Timeout : DefaultTimeout, mirror.Cluster.Name);
        }
    }

    /// <summary>"host:port" becomes "host-shadow:port"; "host" becomes "host-shadow".</summary>
    public static string ShadowAuthority(string authority)
    {
        var colon = authority.LastIndexOf(':');
        var bracket = authority.LastIndexOf(']');
        return colon > bracket && colon > 0
            ? string.Concat(authority.AsSpan(0, colon), "-shadow", authority.AsSpan(colon))
            : authority + "-shadow";
    }

    private static (HttpRequestMessage Copy, UpstreamProtocol Protocol) CreateCopy(
        HttpContext context, RouteActions actions, UpstreamEndpoint endpoint, string? rewrittenPathAndQuery, byte[]? body)
    {
        var request = context.Request;
        var pathAndQuery = rewrittenPathAndQuery ?? request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        var copy = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(endpoint.DestinationPrefix + pathAndQuery, UriKind.Absolute));
        // gRPC needs HTTP/2 end to end, as for the primary request.
        var protocol = OutboundHandler.ProtocolFor(endpoint.Protocol, request);
        copy.Version = protocol == UpstreamProtocol.H2c ? HttpVersion.Version20 : HttpVersion.Version11;
        copy.VersionPolicy = HttpVersionPolicy.RequestVersionExact;

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (IsHopByHop(name, values) || string.Equals(name, "host", StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, MeshHeaders.InboundPort, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!copy.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values))
            {
                copy.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }

        var authority = actions.AuthorityRewrite ?? request.Host.Value ?? "";
        copy.Headers.Host = ShadowAuthority(authority);
        if (endpoint.Transformer.InboundPort is { } port)
        {
            copy.Headers.TryAddWithoutValidation(MeshHeaders.InboundPort, port);
        }

        actions.RequestHeaders?.Apply(copy);
        return (copy, protocol);
    }

    private async Task SendCopyAsync(HttpRequestMessage copy, HttpMessageInvoker invoker, TimeSpan timeout, string cluster)
    {
        using (copy)
        {
            try
            {
                using var cancellation = new CancellationTokenSource(timeout);
                using var response = await invoker.SendAsync(copy, cancellation.Token).ConfigureAwait(false);
                // Read the answer to the end so that the connection goes back to the pool.
                await response.Content.CopyToAsync(Stream.Null, cancellation.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                MirrorLog.SendFailed(logger, cluster, e.Message);
            }
        }
    }

    // "te: trailers" is end to end in practice: gRPC servers may require it.
    private static bool IsHopByHop(string name, StringValues values) =>
        (name.Equals("te", StringComparison.OrdinalIgnoreCase) && !string.Equals(values.ToString(), "trailers", StringComparison.OrdinalIgnoreCase))
        || name.Equals("connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("proxy-connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith(':');
}

/// <summary>What a request's copies need once its body was read to the end.</summary>
internal sealed class PendingCopies(MirrorSender sender, HttpContext context, RouteActions actions, string? rewrittenPathAndQuery) : MirrorBody.ICompletion
{
    public void BodyComplete(byte[] body) => sender.SendCopies(context, actions, rewrittenPathAndQuery, body);
}

internal static partial class MirrorLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "mirror copy to {Cluster} could not be built")]
    public static partial void CopyFailed(ILogger logger, string cluster, Exception exception);

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "mirror copy to {Cluster} failed: {Reason}")]
    public static partial void SendFailed(ILogger logger, string cluster, string reason);
}
