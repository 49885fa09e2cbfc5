using System.Globalization;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Resource and cluster names of the discovery protocol.</summary>
public static class ClusterNames
{
    public const string InboundResource = "inbound";
    public const string SettingsResource = "settings";
    public const string AuthorizationResource = "authorization";
    public const string JwtResource = "jwt";

    /// <summary><c>outbound|port|subset|host</c>, as Istio names clusters.</summary>
    public static string Outbound(int port, string? subset, string host) =>
        string.Create(CultureInfo.InvariantCulture, $"outbound|{port}|{subset}|{host}");

    public static string VirtualHost(string host, int port) => string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");

    public static string ClusterResource(string clusterName) => "cluster/" + clusterName;

    public static string VirtualHostResource(string virtualHostName) => "vhost/" + virtualHostName;
}
