namespace Heddle.Config.Model;

/// <summary>Kubernetes session affinity settings.</summary>
public sealed record SessionAffinityConfig
{
    /// <summary>Client-IP affinity.</summary>
    public ClientIPConfig? ClientIP { get; init; }
}
