using System.Net;
using Heddle.Benchmarks.Runner.Load;
using Heddle.Benchmarks.Runner.Processes;
using Heddle.Benchmarks.Runner.Topology;

namespace Heddle.Benchmarks.Runner.Cases;

/// <summary>Two nginx reverse proxies in the sidecar-pair shape, HTTP/1.1 with upstream keep-alive, one worker each.</summary>
internal sealed class NginxPairCase : IBenchmarkCase
{
    public string Id => "nginx-pair";

    public string Title => "nginx pair";

    public string Path => "client → nginx (client side) → nginx (server side) → upstream";

    public Task<string?> UnavailableReasonAsync(BenchContext context, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public async Task<RunningTopology> StartAsync(BenchContext context, CancellationToken cancellationToken)
    {
        string directory = context.CaseDirectory(Id);
        var serverSide = new IPEndPoint(context.Addresses.NginxServerSide, AddressPlan.PairPort);
        var clientSide = new IPEndPoint(context.Addresses.NginxClientSide, AddressPlan.PairPort);
        ChildProcess server = await NginxServer.StartAsync(
            context, System.IO.Path.Combine(directory, "server-side"), "proxy.conf", serverSide,
            new Dictionary<string, string> { ["NEXT"] = context.Addresses.Upstream.ToString() }, cancellationToken).ConfigureAwait(false);
        ChildProcess client;
        try
        {
            client = await NginxServer.StartAsync(
                context, System.IO.Path.Combine(directory, "client-side"), "proxy.conf", clientSide,
                new Dictionary<string, string> { ["NEXT"] = serverSide.ToString() }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new RunningTopology(
            new LoadTarget(new Uri($"http://{clientSide}/")),
            [new MeasuredProcess("client side", "nginx", client.Id), new MeasuredProcess("server side", "nginx", server.Id)],
            async () =>
            {
                await client.DisposeAsync().ConfigureAwait(false);
                await server.DisposeAsync().ConfigureAwait(false);
            });
    }
}
