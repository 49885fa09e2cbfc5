namespace Heddle.Proxy.Configuration;

/// <summary>How the proxy checks that its application is ready: an HTTP GET or a TCP connect on the pod IP.</summary>
internal sealed record ReadinessProbeSpec(ReadinessProbeKind Kind, int Port, string Path)
{
    public static ReadinessProbeSpec Http(int port, string path) => new(ReadinessProbeKind.Http, port, path);

    public static ReadinessProbeSpec Tcp(int port) => new(ReadinessProbeKind.Tcp, port, "");
}

internal enum ReadinessProbeKind
{
    Http,
    Tcp,
}
