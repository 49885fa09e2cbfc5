namespace Heddle.Discovery;

/// <summary>The conventional ports of a Heddle pod, the same numbers Istio uses so that existing tooling finds them.</summary>
public static class MeshPorts
{
    public const int Admin = 15000;
    public const int Outbound = 15001;
    public const int Inbound = 15006;
    public const int DiscoveryPlaintext = 15010;
    public const int DiscoveryTls = 15012;
    public const int ControlPlaneMonitoring = 15014;
    public const int MergedMetrics = 15020;
    public const int Readiness = 15021;
    public const int Dns = 15053;
    public const int ProxyMetrics = 15090;
}
