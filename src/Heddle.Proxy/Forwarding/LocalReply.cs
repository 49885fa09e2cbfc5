using System.Text;
using Heddle.Proxy.Telemetry;

namespace Heddle.Proxy.Forwarding;

/// <summary>The proxy's own short plain-text answers when a request cannot be forwarded.</summary>
internal static class LocalReply
{
    private static readonly byte[] NoRoute = Encoding.ASCII.GetBytes("no route\n");
    private static readonly byte[] NoHealthyUpstream = Encoding.ASCII.GetBytes("no healthy upstream\n");
    private static readonly byte[] ConnectFailure = Encoding.ASCII.GetBytes("upstream connect error: connection failure\n");
    private static readonly byte[] Reset = Encoding.ASCII.GetBytes("upstream connect error or disconnect/reset before headers\n");
    private static readonly byte[] Timeout = Encoding.ASCII.GetBytes("upstream request timeout\n");
    private static readonly byte[] Empty = [];

    /// <summary>Writes status and body unless the response already started or the client is gone.</summary>
    public static Task WriteAsync(HttpContext context, int status, ResponseFlags flags)
    {
        var response = context.Response;
        if (response.HasStarted || (flags & ResponseFlags.DownstreamConnectionTermination) != 0)
        {
            return Task.CompletedTask;
        }

        response.Clear();
        response.StatusCode = status;
        var body = BodyFor(flags);
        response.ContentType = "text/plain";
        response.ContentLength = body.Length;
        return body.Length == 0 ? Task.CompletedTask : response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    internal static byte[] BodyFor(ResponseFlags flags) =>
        (flags & ResponseFlags.NoRoute) != 0 ? NoRoute
        : (flags & ResponseFlags.NoHealthyUpstream) != 0 ? NoHealthyUpstream
        : (flags & ResponseFlags.UpstreamConnectionFailure) != 0 ? ConnectFailure
        : (flags & ResponseFlags.UpstreamRequestTimeout) != 0 ? Timeout
        : (flags & ResponseFlags.UpstreamConnectionTermination) != 0 ? Reset
        : Empty;
}
