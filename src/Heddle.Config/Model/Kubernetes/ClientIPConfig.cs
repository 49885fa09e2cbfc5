using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Client-IP session affinity settings.</summary>
public sealed record ClientIPConfig
{
    /// <summary>How long affinity lasts, in seconds (1..86400).</summary>
    [Between(1, 86400)]
    public int? TimeoutSeconds { get; init; }
}
