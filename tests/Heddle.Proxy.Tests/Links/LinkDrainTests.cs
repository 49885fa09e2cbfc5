using System.Net;
using Heddle.Proxy.Tests.Infrastructure;

namespace Heddle.Proxy.Tests.Links;

/// <summary>
/// A server sidecar that drains (stops) while a client sidecar holds a link to it with idle streams in its pool: the
/// server asks for no more streams and closes the idle ones, the client closes the link, and the server's shutdown
/// ends without waiting for its drain timeout (two minutes here).
/// </summary>
public sealed class LinkDrainTests : IAsyncLifetime
{
    private SidecarPair _pair = null!;

    public async Task InitializeAsync() =>
        _pair = await SidecarPair.StartAsync(TestSubnet.Next(), SidecarPair.WebService, server: options => options with { DrainTimeout = TimeSpan.FromMinutes(2) });

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task ServerDrains_IdleLinkCloses_ShutdownDoesNotWaitForTheDrainTimeout()
    {
        using var http = _pair.Client.CreateProxiedClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => http.GetAsync($"http://web:{SidecarPair.ServicePort}/r{i}")));
        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Single(SocketTable.ConnectionsTo([_pair.ServerIp.ToString()], 15006));

        await Eventually.Completes(_pair.Server.Host.StopAsync());

        Assert.Empty(SocketTable.ConnectionsTo([_pair.ServerIp.ToString()], 15006));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
