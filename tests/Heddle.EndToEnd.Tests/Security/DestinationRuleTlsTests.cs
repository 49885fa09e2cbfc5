using System.Globalization;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>TLS origination towards a service outside the mesh: the application speaks plain HTTP to its sidecar, a
/// DestinationRule with <c>tls.mode: MUTUAL</c> makes the sidecar present certificates from files and verify the
/// server against <c>caCertificates</c> and <c>subjectAltNames</c>.</summary>
public sealed class DestinationRuleTlsTests : IAsyncLifetime
{
    private LocalMesh _mesh = null!;
    private OutsideTlsServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await OutsideTlsServer.StartAsync();
        _mesh = await LocalMesh.StartAsync("security");
    }

    public async Task DisposeAsync()
    {
        await _mesh.DisposeAsync();
        await _server.DisposeAsync();
    }

    private string Config(string subjectAltName) => string.Format(CultureInfo.InvariantCulture, """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {{name: secure, namespace: foo}}
        spec:
          hosts: [{0}]
          ports: [{{number: {1}, name: http, protocol: HTTP}}]
          resolution: STATIC
          location: MESH_EXTERNAL
          endpoints: [{{address: 127.0.0.1}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {{name: secure, namespace: foo}}
        spec:
          host: {0}
          trafficPolicy:
            tls:
              mode: MUTUAL
              clientCertificate: {2}
              privateKey: {3}
              caCertificates: {4}
              sni: {0}
              subjectAltNames: [{5}]
        """, OutsideTlsServer.HostName, _server.Port, _server.ClientCertificateFile, _server.ClientKeyFile, _server.CaFile, subjectAltName);

    [Fact]
    public async Task MutualTlsOrigination_FromFiles_ReachesTheOutsideServerAndChecksItsName()
    {
        using var sleep = _mesh.ClientOf("sleep");
        string url = $"http://{OutsideTlsServer.HostName}:{_server.Port}/";
        string file = Path.Combine(_mesh.ConfigDirectory, "secure.yaml");

        // A server certificate that does not carry the expected name is refused: no request reaches it.
        await File.WriteAllTextAsync(file, Config("other.example.test"));
        await Wait.UntilAsync(async () =>
        {
            using var response = await sleep.GetAsync(url);
            return response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable
                && _mesh.Output.Text.Contains("not one of other.example.test", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15), "the wrong server name to be refused");

        // The right name: the sidecar presents the client certificate from the files and the server answers.
        await File.WriteAllTextAsync(file, Config(OutsideTlsServer.HostName));
        string answer = "";
        await Wait.UntilAsync(async () =>
        {
            using var response = await sleep.GetAsync(url);
            answer = (int)response.StatusCode + " " + await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(15), "the sidecar to originate mutual TLS").ContinueWith(t => t.IsFaulted ? throw new InvalidOperationException(answer + "\n" + SecurityTools.Lines(_mesh.Output.Text, "sleep-0/proxy"), t.Exception) : t, TaskScheduler.Default).Unwrap();
        Assert.Equal("200 secure hello to CN=mesh-egress", answer);
    }
}
