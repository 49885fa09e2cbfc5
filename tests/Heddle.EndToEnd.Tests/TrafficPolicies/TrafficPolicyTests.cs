using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Heddle.EndToEnd.Tests.Support;
using Heddle.Proxy.Tests.Infrastructure;

namespace Heddle.EndToEnd.Tests.TrafficPolicies;

/// <summary>Istio's DestinationRule tasks on real processes: circuit breaking, outlier detection, consistent-hash
/// stickiness, least request, and the mesh's outbound traffic policy.</summary>
[Collection(TrafficPolicyMeshCollection.Name)]
public sealed class TrafficPolicyTests(TrafficPolicyMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task CircuitBreaking_ConcurrentLoadOnOneConnection_SomeRequestsOverflowWithUO()
    {
        // Istio's task: maxConnections 1 and http1MaxPendingRequests 1. Ten requests at once, each held a second by
        // httpbin: one is sent, one waits for the connection, the other eight are refused at once.
        using var client = _mesh.ClientOf("client");
        var requests = Enumerable.Range(0, 10).Select(_ => client.GetAsync("http://httpbin:8000/delay/1")).ToArray();
        var responses = await Task.WhenAll(requests);

        var ok = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        var overflow = responses.Count(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        Assert.Equal(10, ok + overflow);
        Assert.InRange(ok, 2, 9);
        Assert.True(overflow >= 1, $"{ok} succeeded, none overflowed");
        await _mesh.Output.WaitForLineAsync(l => l.Contains("/delay/1", StringComparison.Ordinal) && l.Contains("\" 503 UO ", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "an access-log line with 503 UO");

        // Once the load is gone the breaker closes again.
        using var after = await client.GetAsync("http://httpbin:8000/get");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task OutlierDetection_OnePodAnswers500_EjectedAndTrafficMovesToTheOther()
    {
        using var client = _mesh.ClientOf("client");
        var failures = 0;
        var pods = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            using var response = await client.GetAsync("http://flaky/");
            if (response.StatusCode == HttpStatusCode.InternalServerError)
            {
                failures++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                pods.Add(await PodAsync(response));
            }
        }

        // consecutive5xxErrors: 1 ejects the failing pod on its first 500, for three minutes.
        Assert.Equal(1, failures);
        Assert.All(pods, pod => Assert.Equal("flaky-good-0", pod));
    }

    [Fact]
    public async Task ConsistentHash_SameHeaderValue_AlwaysSamePod_DifferentValuesSpread()
    {
        using var client = _mesh.ClientOf("client");
        var chosen = new Dictionary<string, string>();
        for (var user = 0; user < 30; user++)
        {
            for (var i = 0; i < 10; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "http://sticky/");
                request.Headers.Add("x-user", $"user-{user}");
                using var response = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var pod = await PodAsync(response);
                Assert.Equal(chosen.TryAdd($"user-{user}", pod) ? pod : chosen[$"user-{user}"], pod);
            }
        }

        // Thirty users over three pods: all on one pod would be a broken hash (chance 3 × 3^-30).
        Assert.True(chosen.Values.Distinct().Count() >= 2, "every user landed on the same pod");
    }

    [Fact]
    public async Task ConsistentHash_QueryParameterOnMaglev_SameValueSamePod_DifferentValuesSpread()
    {
        using var client = _mesh.ClientOf("client");
        var chosen = new Dictionary<string, string>();
        for (var user = 0; user < 30; user++)
        {
            for (var i = 0; i < 5; i++)
            {
                // Other parameters do not change the pod.
                using var response = await client.GetAsync($"http://sticky-query/?page={i}&user=user-{user}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var pod = await PodAsync(response);
                Assert.Equal(chosen.TryAdd($"user-{user}", pod) ? pod : chosen[$"user-{user}"], pod);
            }
        }

        // Thirty users over three pods: all on one pod would be a broken hash (chance 3 × 3^-30).
        Assert.True(chosen.Values.Distinct().Count() >= 2, "every user landed on the same pod");
    }

    [Fact]
    public async Task ConsistentHash_CookieAbsent_SidecarIssuesItAndTheClientSticks()
    {
        using var client = _mesh.ClientOf("client");
        using var first = await client.GetAsync("http://session/");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var setCookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.Matches("^user=\"[0-9a-f]{16}\"; Max-Age=60; Path=/; HttpOnly$", setCookie);
        var pod = await PodAsync(first);

        var cookie = setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
        for (var i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://session/");
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request);
            Assert.Equal(pod, await PodAsync(response));
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
    }

    [Fact]
    public async Task LeastRequest_OnePodBusy_RequestsGoToTheIdleOne()
    {
        // With two endpoints, power of two choices always compares both: the busy one never wins.
        using var client = _mesh.ClientOf("client");
        var slow = client.GetAsync("http://busy/slow");
        string? busyPod = null;
        try
        {
            // Wait until the slow request is held by a pod: from then on, fast requests land on the other pod.
            using var direct = new HttpClient();
            await Wait.UntilAsync(async () =>
            {
                foreach (var replica in new[] { 0, 1 })
                {
                    using var document = JsonDocument.Parse(await direct.GetStringAsync($"http://{_mesh.PodIp("busy", replica)}:8080/holding"));
                    if (document.RootElement.GetProperty("holding").GetBoolean())
                    {
                        return true;
                    }
                }

                return false;
            }, TimeSpan.FromSeconds(10), "the slow request to reach a pod");
            var idle = new HashSet<string>();
            for (var i = 0; i < 20; i++)
            {
                using var response = await client.GetAsync("http://busy/");
                idle.Add(await PodAsync(response));
            }

            Assert.Single(idle);
            busyPod = idle.Single() == "busy-0" ? "busy-1" : "busy-0";
        }
        finally
        {
            await ReleaseAsync(client, slow);
        }

        using var slowResponse = await slow;
        Assert.Equal(busyPod, await PodAsync(slowResponse));
    }

    [Fact]
    public async Task LocalityFailover_NearPodServesUntilItFails_ThenTheFarRegionTakesOver()
    {
        using var client = _mesh.ClientOf("client");
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync("http://regional/");
            Assert.Equal("near-0", await PodAsync(response));
        }

        // The near pod starts failing: its first 500 ejects it, and traffic fails over to eu-west.
        using var direct = new HttpClient();
        using (await direct.GetAsync($"http://{_mesh.PodIp("near")}:8080/fail"))
        {
        }

        var failures = 0;
        var pods = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync("http://regional/");
            if (response.StatusCode == HttpStatusCode.InternalServerError)
            {
                failures++;
            }
            else
            {
                pods.Add(await PodAsync(response));
            }
        }

        Assert.Equal(1, failures);
        Assert.All(pods, pod => Assert.Equal("far-0", pod));
    }

    [Fact]
    public async Task OutboundTrafficPolicy_RegistryOnly_UnknownHost502NR_StaticAndDnsServiceEntriesStillReachable()
    {
        await using var outside = await OutsideServer.StartAsync("outside the mesh");
        using var client = _mesh.ClientOf("client");
        var unknown = $"http://127.0.0.1:{outside.Port}/";

        // ALLOW_ANY (Istio's default): the unknown host is reached through PassthroughCluster.
        Assert.Equal("outside the mesh", await client.GetStringAsync(unknown));

        var file = Path.Combine(_mesh.ConfigDirectory, "registry-only.yaml");
        await File.WriteAllTextAsync(file, $$"""
            apiVersion: heddle.dev/v1alpha1
            kind: MeshConfig
            metadata:
              name: mesh
            spec:
              outboundTrafficPolicy:
                mode: REGISTRY_ONLY
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: outside
            spec:
              hosts: [outside.example]
              location: MESH_EXTERNAL
              resolution: STATIC
              ports:
              - {number: {{outside.Port}}, name: http, protocol: HTTP}
              endpoints:
              - address: 127.0.0.1
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: outside-dns
            spec:
              hosts: [outside-dns.example]
              location: MESH_EXTERNAL
              resolution: DNS
              ports:
              - {number: {{outside.Port}}, name: http, protocol: HTTP}
              endpoints:
              - address: localhost
            """);
        try
        {
            await Wait.UntilAsync(async () =>
            {
                using var response = await client.GetAsync(unknown);
                return response.StatusCode == HttpStatusCode.BadGateway;
            }, TimeSpan.FromSeconds(15), "REGISTRY_ONLY to refuse the unknown host");
            await _mesh.Output.WaitForLineAsync(l => l.Contains($"127.0.0.1:{outside.Port}", StringComparison.Ordinal) && l.Contains("\" 502 NR ", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10), "an access-log line with 502 NR");

            Assert.Equal("outside the mesh", await client.GetStringAsync($"http://outside.example:{outside.Port}/"));
            Assert.Equal("outside the mesh", await client.GetStringAsync($"http://outside-dns.example:{outside.Port}/"));
        }
        finally
        {
            File.Delete(file);
        }

        await Wait.UntilAsync(async () =>
        {
            using var response = await client.GetAsync(unknown);
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(15), "ALLOW_ANY again once the MeshConfig is gone");
    }

    [Fact]
    public async Task ServiceEntry_DnsHttpPortWithTargetPort_AndStaticTcpPort_AreReachedByName()
    {
        await using var outside = await OutsideServer.StartAsync("outside over http");
        using var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        var tcpPort = ((IPEndPoint)tcp.LocalEndpoint).Port;
        _ = EchoOnceAsync(tcp);
        using var client = _mesh.ClientOf("client");

        // Neither host exists in DNS: only the ServiceEntries make them reachable, on the ports they declare, at the
        // target ports of their endpoints.
        var file = Path.Combine(_mesh.ConfigDirectory, "service-entries.yaml");
        await File.WriteAllTextAsync(file, $$"""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: web-outside
            spec:
              hosts: [web.outside.example]
              location: MESH_EXTERNAL
              resolution: DNS
              ports:
              - {number: 80, name: http, protocol: HTTP, targetPort: {{outside.Port}}}
              endpoints:
              - address: localhost
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: tcp-outside
            spec:
              hosts: [tcp.outside.example]
              location: MESH_EXTERNAL
              resolution: STATIC
              ports:
              - {number: 7000, name: tcp, protocol: TCP}
              endpoints:
              - address: 127.0.0.1
                ports: {tcp: {{tcpPort}}}
            """);
        try
        {
            await Wait.UntilAsync(async () =>
            {
                using var response = await client.GetAsync("http://web.outside.example/");
                return response.StatusCode == HttpStatusCode.OK && await response.Content.ReadAsStringAsync() == "outside over http";
            }, TimeSpan.FromSeconds(15), "the HTTP ServiceEntry to be served");

            await using var tunnel = await ConnectTunnel.OpenAsync(_mesh.PodIp("client"), "tcp.outside.example:7000", CancellationToken.None);
            await tunnel.WriteAsync("ping\n"u8.ToArray());
            var echoed = new byte[5];
            await tunnel.ReadExactlyAsync(echoed);
            Assert.Equal("ping\n", System.Text.Encoding.ASCII.GetString(echoed));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task MaxRequestsPerConnection_One_ConcurrentRequestsEachGetTheirOwnConnectionToThePeerSidecar()
    {
        // The hop between the client's sidecar and the pod's sidecar is HTTP/2 inside mutual TLS, which would carry
        // concurrent requests as streams of one connection. With maxRequestsPerConnection 1, three requests held by the
        // pod at once are three connections, as the kernel's socket table shows.
        using var client = _mesh.ClientOf("client");
        string[] pod = [_mesh.PodIp("flaky-good")];
        var before = SocketTable.ConnectionsTo(pod, 15006);

        var held = Enumerable.Range(0, 3).Select(_ => client.GetAsync("http://one-shot/slow")).ToArray();
        try
        {
            await Wait.UntilAsync(
                () => Task.FromResult(SocketTable.ConnectionsTo(pod, 15006).Except(before).Count() >= 3),
                TimeSpan.FromSeconds(8),
                "three connections to the pod's sidecar");
        }
        finally
        {
            using var release = await client.GetAsync("http://one-shot/release");
        }

        foreach (var request in held)
        {
            using var response = await request;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>Echoes what the first connection sends.</summary>
    private static async Task EchoOnceAsync(TcpListener listener)
    {
        using var connection = await listener.AcceptTcpClientAsync();
        var stream = connection.GetStream();
        var buffer = new byte[64];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read));
        }
    }

    private static async Task<string> PodAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("pod").GetString()!;
    }

    /// <summary>Releases the held request on whichever busy pod holds it (pod.py's /release), until it returns.</summary>
    private async Task ReleaseAsync(HttpClient client, Task<HttpResponseMessage> slow)
    {
        using var direct = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!slow.IsCompleted && DateTime.UtcNow < deadline)
        {
            foreach (var replica in new[] { 0, 1 })
            {
                try
                {
                    using var _ = await direct.GetAsync($"http://{_mesh.PodIp("busy", replica)}:8080/release");
                }
                catch (HttpRequestException)
                {
                }
            }

            await Task.WhenAny(slow, Task.Delay(100));
        }
    }
}
