namespace Heddle.Config.Binding;

/// <summary>
/// Fields that are valid in the API but carry nothing Heddle uses (for example server-populated
/// Kubernetes metadata such as <c>uid</c>), accepted without an "unknown field" error.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class IgnoredFieldsAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
