namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>The destination service of a request: its host (destination_service), short name and namespace.</summary>
internal sealed class ServiceTarget(string host, string name, string ns)
{
    public static ServiceTarget Unknown { get; } = new(WorkloadPeer.UnknownValue, WorkloadPeer.UnknownValue, WorkloadPeer.UnknownValue);

    public string Host { get; } = host;

    public string Name { get; } = name;

    public string Namespace { get; } = ns;
}
