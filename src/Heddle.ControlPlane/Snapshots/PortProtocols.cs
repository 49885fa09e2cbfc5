using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The protocol of a port, by Istio's convention: the explicit protocol (appProtocol, or a ServiceEntry
/// port's protocol) when there is one, otherwise the port name's prefix (<c>grpc-api</c> is gRPC).</summary>
internal static class PortProtocols
{
    public static Protocol Select(string? explicitProtocol, string? portName) =>
        string.IsNullOrEmpty(explicitProtocol) ? FromName(portName) : FromName(explicitProtocol);

    /// <summary><c>grpc*</c> → gRPC, <c>http2*</c> and <c>kubernetes.io/h2c</c> → HTTP/2, <c>tcp*</c> and protocols
    /// the proxy cannot read as HTTP (TLS, HTTPS, Mongo, MySQL, Redis, UDP) → TCP, anything else → HTTP.</summary>
    public static Protocol FromName(string? name)
    {
        var value = (name ?? "").ToLowerInvariant();
        if (value.StartsWith("grpc", StringComparison.Ordinal))
        {
            return Protocol.Grpc;
        }

        if (value.StartsWith("http2", StringComparison.Ordinal) || value == "kubernetes.io/h2c")
        {
            return Protocol.Http2;
        }

        if (value.StartsWith("tcp", StringComparison.Ordinal) || IsOpaque(value))
        {
            return Protocol.Tcp;
        }

        return Protocol.Http;
    }

    private static bool IsOpaque(string value)
    {
        var prefix = value.Split('-', 2)[0];
        return prefix is "https" or "tls" or "mongo" or "mysql" or "redis" or "udp";
    }
}
