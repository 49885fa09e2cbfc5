namespace Heddle.Config.Model;

/// <summary>How a ServiceEntry's endpoints are resolved.</summary>
public enum ServiceEntryResolution
{
    /// <summary>Forward to the original destination IP.</summary>
    None,

    /// <summary>The endpoints' addresses as given.</summary>
    Static,

    /// <summary>Resolve endpoint (or host) names with DNS, all addresses.</summary>
    Dns,

    /// <summary>Resolve with DNS, first address only.</summary>
    DnsRoundRobin,

    /// <summary>Resolve wildcard hosts with DNS at request time.</summary>
    DynamicDns,
}
