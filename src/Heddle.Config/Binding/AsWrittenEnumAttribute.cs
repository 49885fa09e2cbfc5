namespace Heddle.Config.Binding;

/// <summary>
/// Enum values are spelled in YAML exactly as the C# member names (Kubernetes style, <c>ClusterIP</c>)
/// instead of the default protobuf style (<c>ROUND_ROBIN</c> for <c>RoundRobin</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Enum)]
internal sealed class AsWrittenEnumAttribute : Attribute;
