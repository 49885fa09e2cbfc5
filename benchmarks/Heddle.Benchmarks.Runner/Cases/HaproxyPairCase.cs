using System.Net;
using Heddle.Benchmarks.Runner.Load;
using Heddle.Benchmarks.Runner.Processes;
using Heddle.Benchmarks.Runner.Topology;

namespace Heddle.Benchmarks.Runner.Cases;

/// <summary>Two HAProxy instances in the sidecar-pair shape, HTTP/1.1 with connection reuse, one thread each.</summary>
internal sealed class HaproxyPairCase : IBenchmarkCase
{
    public string Id => "haproxy-pair";

    public string Title => "HAProxy pair";

    public string Path => "client → HAProxy (client side) → HAProxy (server side) → upstream";

    public Task<string?> UnavailableReasonAsync(BenchContext context, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public async Task<RunningTopology> StartAsync(BenchContext context, CancellationToken cancellationToken)
    {
        string directory = context.CaseDirectory(Id);
        var serverSide = new IPEndPoint(context.Addresses.HaproxyServerSide, AddressPlan.PairPort);
        var clientSide = new IPEndPoint(context.Addresses.HaproxyClientSide, AddressPlan.PairPort);
        ChildProcess server = await HaproxyServer.StartAsync(
            context, System.IO.Path.Combine(directory, "server-side"), serverSide, context.Addresses.Upstream, cancellationToken).ConfigureAwait(false);
        ChildProcess client;
        try
        {
            client = await HaproxyServer.StartAsync(
                context, System.IO.Path.Combine(directory, "client-side"), clientSide, serverSide, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new RunningTopology(
            new LoadTarget(new Uri($"http://{clientSide}/")),
            [new MeasuredProcess("client side", "haproxy", client.Id), new MeasuredProcess("server side", "haproxy", server.Id)],
            async () =>
            {
                await client.DisposeAsync().ConfigureAwait(false);
                await server.DisposeAsync().ConfigureAwait(false);
            });
    }
}
