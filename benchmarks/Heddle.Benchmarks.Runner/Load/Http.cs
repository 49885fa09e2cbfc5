using System.Net;

namespace Heddle.Benchmarks.Runner.Load;

/// <summary>The runner's HTTP clients: never the environment's proxy (a shell inside a mesh workload has HTTP_PROXY set).</summary>
internal static class Http
{
    public static HttpClient CreateClient(TimeSpan timeout, Uri? explicitProxy = null, Version? version = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = explicitProxy is not null,
            Proxy = explicitProxy is null ? null : new WebProxy(explicitProxy),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
        if (version is not null)
        {
            client.DefaultRequestVersion = version;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client;
    }
}
