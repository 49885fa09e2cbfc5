using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>An environment variable of a LocalWorkload.</summary>
public sealed record EnvVar
{
    /// <summary>Variable name.</summary>
    [Required]
    public string Name { get; init; } = "";

    /// <summary>Value; <c>$(VAR)</c> expands as in Kubernetes; empty when absent.</summary>
    public string? Value { get; init; }
}
