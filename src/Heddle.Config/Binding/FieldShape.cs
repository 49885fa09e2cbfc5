using System.Reflection;

namespace Heddle.Config.Binding;

/// <summary>How one property of a model record appears in YAML and what the binder checks about it.</summary>
internal sealed class FieldShape
{
    public FieldShape(PropertyInfo property)
    {
        Property = property;
        YamlName = property.GetCustomAttribute<YamlNameAttribute>()?.Name ?? CamelCase(property.Name);
        Required = property.IsDefined(typeof(RequiredAttribute));
        OneOfGroup = property.GetCustomAttribute<OneOfAttribute>()?.Group;
        Deprecation = property.GetCustomAttribute<DeprecatedAttribute>()?.Advice;
        Constraints = [.. property.GetCustomAttributes<FieldConstraintAttribute>()];
    }

    public PropertyInfo Property { get; }

    public string YamlName { get; }

    public bool Required { get; }

    public string? OneOfGroup { get; }

    public string? Deprecation { get; }

    public ImmutableArray<FieldConstraintAttribute> Constraints { get; }

    private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
