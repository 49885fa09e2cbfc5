using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>Finds the first endpoint at or after a position that outlier detection has not ejected.</summary>
internal static class EndpointProbe
{
    public static UpstreamEndpoint? FirstAvailable(UpstreamEndpoint[] endpoints, uint start)
    {
        var count = (uint)endpoints.Length;
        for (uint i = 0; i < count; i++)
        {
            var endpoint = endpoints[(int)((start + i) % count)];
            if (!endpoint.IsEjected)
            {
                return endpoint;
            }
        }

        return null;
    }
}
