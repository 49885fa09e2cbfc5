using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Security;

/// <summary>
/// Client-side TLS for new upstream connections. The clusters of the current snapshot say, per next hop
/// (<c>host:port</c>), whether to originate TLS and how: ISTIO_MUTUAL (the workload certificate, secure naming
/// against the cluster's service accounts), SIMPLE or MUTUAL (files). The table is computed once per snapshot, on the
/// first connection after a swap; requests on pooled connections never look at it.
/// </summary>
internal sealed class UpstreamTls(SnapshotStore store, WorkloadCertificates certificates, ILogger logger)
{
    private Table? _table;

    /// <summary>The TLS settings for a next hop, or null for plaintext.</summary>
    public ClientTls? Find(DnsEndPoint endpoint)
    {
        var snapshot = store.Current;
        var table = _table;
        if (table is null || !ReferenceEquals(table.Snapshot, snapshot))
        {
            table = new Table(snapshot, Build(snapshot));
            _table = table;
        }

        return table.ByHop.GetValueOrDefault(Key(endpoint.Host, endpoint.Port));
    }

    /// <summary>Wraps a connected stream in TLS when the next hop asks for it.</summary>
    public async ValueTask<Stream> SecureAsync(Stream stream, DnsEndPoint endpoint, bool http2, CancellationToken cancellationToken)
    {
        var tls = Find(endpoint);
        if (tls is null)
        {
            return stream;
        }

        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            var options = tls.CreateOptions(certificates.Current, endpoint.Host, http2);
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or InvalidOperationException)
        {
            SecurityLog.UpstreamHandshakeFailed(logger, endpoint.Host + ":" + endpoint.Port, tls.Describe(), e.Message);
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private Dictionary<string, ClientTls> Build(ProxySnapshot snapshot)
    {
        var byHop = new Dictionary<string, ClientTls>(StringComparer.OrdinalIgnoreCase);
        foreach (var cluster in snapshot.Clusters.Values)
        {
            var settings = cluster.Source.Tls;
            if (settings is null || settings.Mode == TlsSettings.Types.Mode.Disable || cluster.IsPassthrough)
            {
                continue;
            }

            ClientTls? tls = null;
            foreach (var endpoint in cluster.Source.Endpoints)
            {
                string hop;
                if (settings.Mode == TlsSettings.Types.Mode.IstioMutual)
                {
                    if (settings.Automatic && (endpoint.Sidecar.Length == 0 || endpoint.MtlsDisabled))
                    {
                        continue;
                    }

                    hop = endpoint.Sidecar.Length > 0 ? endpoint.Sidecar : endpoint.Address + ":" + endpoint.Port;
                }
                else
                {
                    // Files-based TLS is originated towards endpoints without a sidecar (services outside the mesh).
                    if (endpoint.Sidecar.Length > 0)
                    {
                        continue;
                    }

                    hop = endpoint.Address + ":" + endpoint.Port;
                }

                hop = Normalize(hop);
                if (byHop.TryGetValue(hop, out var existing))
                {
                    existing.Merge(settings);
                    continue;
                }

                tls ??= new ClientTls(settings, logger);
                byHop.Add(hop, tls);
            }
        }

        return byHop;
    }

    private static string Key(string host, int port) => host.Trim('[', ']') + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Normalize(string hop)
    {
        var colon = hop.LastIndexOf(':');
        return colon <= 0 ? hop : hop[..colon].Trim('[', ']') + hop[colon..];
    }

    private sealed record Table(ProxySnapshot Snapshot, Dictionary<string, ClientTls> ByHop);
}
