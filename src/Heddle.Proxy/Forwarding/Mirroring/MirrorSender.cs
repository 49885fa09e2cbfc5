using System.Net;
using Heddle.Discovery;
using Heddle.Proxy.Routing.Actions;
using Heddle.Proxy.Upstreams;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Forwarding.Mirroring;

/// <summary>
/// Istio's <c>mirror</c>/<c>mirrors</c>: a copy of the request goes to each mirror cluster (its share of requests),
/// with the Host / :authority suffixed "-shadow" (before the port, as Envoy does). Copies are fire-and-forget: their
/// answers are discarded and their failures never touch the primary request. A request whose body was not buffered
/// (unknown length, or above the buffer limit) is not copied.
/// </summary>
internal sealed class MirrorSender(UpstreamClients clients, Random random, ILogger logger)
{
    /// <summary>How long a copy may take when the route sets no timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public void Send(HttpContext context, RouteActions actions, string? rewrittenPathAndQuery)
    {
        if (RequestBodyBuffer.HasBody(context) && RequestBodyBuffer.Buffered(context) is null)
        {
            // The body streams to the primary destination only: a copy without it would be a different request.
            return;
        }

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
            try
            {
                copy = CreateCopy(context, actions, endpoint, rewrittenPathAndQuery);
            }
            catch (Exception e) when (e is UriFormatException or InvalidOperationException or FormatException)
            {
                MirrorLog.CopyFailed(logger, mirror.Cluster.Name, e);
                continue;
            }

            _ = SendCopyAsync(copy, endpoint, actions.Timeout > TimeSpan.Zero ? actions.Timeout : DefaultTimeout, mirror.Cluster.Name);
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

    private static HttpRequestMessage CreateCopy(HttpContext context, RouteActions actions, UpstreamEndpoint endpoint, string? rewrittenPathAndQuery)
    {
        var request = context.Request;
        var pathAndQuery = rewrittenPathAndQuery ?? request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        var copy = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(endpoint.DestinationPrefix + pathAndQuery, UriKind.Absolute));
        var http2 = endpoint.Protocol == UpstreamProtocol.H2c;
        copy.Version = http2 ? HttpVersion.Version20 : HttpVersion.Version11;
        copy.VersionPolicy = HttpVersionPolicy.RequestVersionExact;

        if (RequestBodyBuffer.Buffered(context) is { } body)
        {
            copy.Content = new ByteArrayContent(body.Array!, body.Offset, body.Count);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (IsHopByHop(name) || string.Equals(name, "host", StringComparison.OrdinalIgnoreCase)
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
        return copy;
    }

    private async Task SendCopyAsync(HttpRequestMessage copy, UpstreamEndpoint endpoint, TimeSpan timeout, string cluster)
    {
        using (copy)
        {
            try
            {
                using var cancellation = new CancellationTokenSource(timeout);
                var invoker = clients.For(endpoint.Protocol);
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

    private static bool IsHopByHop(string name) =>
        name.Equals("connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("proxy-connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("te", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith(':');
}

internal static partial class MirrorLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "mirror copy to {Cluster} could not be built")]
    public static partial void CopyFailed(ILogger logger, string cluster, Exception exception);

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "mirror copy to {Cluster} failed: {Reason}")]
    public static partial void SendFailed(ILogger logger, string cluster, string reason);
}
