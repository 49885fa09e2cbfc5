using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Hash-based load balancing: the same key goes to the same endpoint while the set is stable.</summary>
public sealed record ConsistentHashLB
{
    /// <summary>Hash this request header.</summary>
    [OneOf("hashKey")]
    public string? HttpHeaderName { get; init; }

    /// <summary>Hash this cookie (created when missing if a TTL is set).</summary>
    [OneOf("hashKey")]
    public HttpCookie? HttpCookie { get; init; }

    /// <summary>Hash the source IP address.</summary>
    [OneOf("hashKey")]
    public bool? UseSourceIp { get; init; }

    /// <summary>Hash this query parameter.</summary>
    [OneOf("hashKey")]
    public string? HttpQueryParameterName { get; init; }

    /// <summary>Ring hash algorithm.</summary>
    [OneOf("hashAlgorithm")]
    public RingHash? RingHash { get; init; }

    /// <summary>Maglev algorithm.</summary>
    [OneOf("hashAlgorithm")]
    public Maglev? Maglev { get; init; }

    /// <summary>Deprecated; use <see cref="RingHash"/>.</summary>
    [Deprecated("use ringHash.minimumRingSize")]
    public long? MinimumRingSize { get; init; }
}
