using System.Text;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>
/// Istio's "Authorization for TCP traffic" task with its YAML: sleep talks to tcp-echo through both sidecars; an ALLOW
/// policy by port, then an ALLOW rule with an HTTP-only field (never matches TCP), then DENY rules with one (the field
/// is left out), each enforced by tcp-echo's sidecar, which closes the denied connections and says why.
/// </summary>
public sealed class TcpAuthorizationTests : IAsyncLifetime
{
    private LocalMesh _mesh = null!;
    private string _tcpEchoIp = "";

    public async Task InitializeAsync()
    {
        _mesh = await LocalMesh.StartAsync("tcp");
        _tcpEchoIp = _mesh.PodIp("tcp-echo");
        await Wait.UntilAsync(async () => await TcpEcho.SucceedsAsync(_mesh, "tcp-echo:9000", "port 9000"), TimeSpan.FromSeconds(15), "sleep to reach tcp-echo");
    }

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task TcpTask_AllowByPort_ThenHttpOnlyFields_FollowIstiosSemantics()
    {
        // Before any policy: the declared ports and the undeclared one (by pod IP) all answer.
        Assert.Equal("hello port 9000", await TcpEcho.SendAsync(_mesh, "tcp-echo:9000", "port 9000"));
        Assert.Equal("hello port 9001", await TcpEcho.SendAsync(_mesh, "tcp-echo:9001", "port 9001"));
        Assert.Equal("hello port 9002", await TcpEcho.SendAsync(_mesh, $"{_tcpEchoIp}:9002", "port 9002"));

        // ALLOW 9000 and 9001: the passthrough port 9002 is denied by the same policy.
        await ApplyAsync("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: tcp-policy
              namespace: foo
            spec:
              selector:
                matchLabels:
                  app: tcp-echo
              action: ALLOW
              rules:
              - to:
                - operation:
                    ports: ["9000", "9001"]
            """);
        await Wait.UntilAsync(async () => !await TcpEcho.SucceedsAsync(_mesh, $"{_tcpEchoIp}:9002", "port 9002"), TimeSpan.FromSeconds(15), "port 9002 to be denied");
        Assert.Equal("hello port 9000", await TcpEcho.SendAsync(_mesh, "tcp-echo:9000", "port 9000"));
        Assert.Equal("hello port 9001", await TcpEcho.SendAsync(_mesh, "tcp-echo:9001", "port 9001"));

        // An ALLOW rule with methods (HTTP-only) never matches TCP: nothing is allowed any more.
        await ApplyAsync("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: tcp-policy
              namespace: foo
            spec:
              selector:
                matchLabels:
                  app: tcp-echo
              action: ALLOW
              rules:
              - to:
                - operation:
                    methods: ["GET"]
                    ports: ["9000"]
            """);
        await Wait.UntilAsync(async () => !await TcpEcho.SucceedsAsync(_mesh, "tcp-echo:9000", "port 9000"), TimeSpan.FromSeconds(15), "port 9000 to be denied");
        Assert.Null(await TcpEcho.SendAsync(_mesh, "tcp-echo:9001", "port 9001"));
        await _mesh.Output.WaitForLineAsync(
            l => l.Contains("\"CONNECT tcp-echo.foo.svc.cluster.local:9000 TCP\" 0 -", StringComparison.Ordinal)
                && l.Contains("inbound|9000|tcp|", StringComparison.Ordinal)
                && l.Contains("rbac_access_denied_matched_policy[none]", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5),
            "tcp-echo's access log line for the denied connection");

        // A DENY rule with only methods denies every TCP connection (the HTTP-only field is left out).
        await ApplyAsync("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: tcp-policy
              namespace: foo
            spec:
              selector:
                matchLabels:
                  app: tcp-echo
              action: DENY
              rules:
              - to:
                - operation:
                    methods: ["GET"]
            """);
        const string DenyRule = "rbac_access_denied_matched_policy[ns[foo]-policy[tcp-policy]-rule[0]]";
        await Wait.UntilAsync(
            async () => !await TcpEcho.SucceedsAsync(_mesh, "tcp-echo:9000", "port 9000") && _mesh.Output.Lines.Any(l => l.Contains(DenyRule, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15),
            "port 9000 to be denied by the DENY rule");
        Assert.Null(await TcpEcho.SendAsync(_mesh, "tcp-echo:9001", "port 9001"));
        Assert.Null(await TcpEcho.SendAsync(_mesh, "tcp-echo:9000", "port 9000"));

        // DENY with methods and ports: only 9000 is denied.
        await ApplyAsync("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: tcp-policy
              namespace: foo
            spec:
              selector:
                matchLabels:
                  app: tcp-echo
              action: DENY
              rules:
              - to:
                - operation:
                    methods: ["GET"]
                    ports: ["9000"]
            """);
        await Wait.UntilAsync(async () => await TcpEcho.SucceedsAsync(_mesh, "tcp-echo:9001", "port 9001"), TimeSpan.FromSeconds(15), "port 9001 to be allowed again");
        Assert.Null(await TcpEcho.SendAsync(_mesh, "tcp-echo:9000", "port 9000"));
        Assert.Equal("hello port 9001", await TcpEcho.SendAsync(_mesh, "tcp-echo:9001", "port 9001"));
    }

    private Task ApplyAsync(string yaml) => File.WriteAllTextAsync(Path.Combine(_mesh.ConfigDirectory, "tcp-policy.yaml"), yaml);
}

/// <summary>`echo TEXT | nc HOST PORT` from sleep, through sleep's sidecar (CONNECT, as behind HTTP_PROXY).</summary>
internal static class TcpEcho
{
    /// <summary>The first line tcp-echo answered, or null when the connection was closed without one.</summary>
    public static async Task<string?> SendAsync(LocalMesh mesh, string authority, string text, string from = "sleep")
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await using var tunnel = await ConnectTunnel.OpenAsync(mesh.PodIp(from), authority, timeout.Token);
            await tunnel.WriteAsync(Encoding.ASCII.GetBytes(text + "\n"), timeout.Token);
            using var reader = new StreamReader(tunnel, Encoding.ASCII);
            return await reader.ReadLineAsync(timeout.Token);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static async Task<bool> SucceedsAsync(LocalMesh mesh, string authority, string text) =>
        await SendAsync(mesh, authority, text) == "hello " + text;
}
