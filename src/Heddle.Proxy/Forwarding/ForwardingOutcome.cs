using Heddle.Proxy.Telemetry;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy.Forwarding;

/// <summary>Maps the forwarder's errors to the status the client gets and the response flag the access log shows.</summary>
internal static class ForwardingOutcome
{
    public static (int Status, ResponseFlags Flags) FromError(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.None => (0, ResponseFlags.None),
        ForwarderError.Request or ForwarderError.RequestCreation when IsConnectFailure(exception) =>
            (StatusCodes.Status503ServiceUnavailable, ResponseFlags.UpstreamConnectionFailure),
        ForwarderError.Request or ForwarderError.RequestCreation or ForwarderError.ResponseHeaders =>
            (StatusCodes.Status503ServiceUnavailable, ResponseFlags.UpstreamConnectionTermination),
        ForwarderError.RequestTimedOut or ForwarderError.UpgradeActivityTimeout =>
            (StatusCodes.Status504GatewayTimeout, ResponseFlags.UpstreamRequestTimeout),
        ForwarderError.NoAvailableDestinations =>
            (StatusCodes.Status503ServiceUnavailable, ResponseFlags.NoHealthyUpstream),
        ForwarderError.RequestBodyDestination or ForwarderError.ResponseBodyDestination
            or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination =>
            (StatusCodes.Status502BadGateway, ResponseFlags.UpstreamConnectionTermination),
        _ => (StatusCodes.Status499ClientClosedRequest, ResponseFlags.DownstreamConnectionTermination),
    };

    /// <summary>The connection could not be opened (refused, unreachable, name not resolved, connect timeout).</summary>
    public static bool IsConnectFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }
        }

        return false;
    }
}
