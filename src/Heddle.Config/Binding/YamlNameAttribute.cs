namespace Heddle.Config.Binding;

/// <summary>Overrides the YAML name of a property when it is not the camelCase form of the C# name.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class YamlNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
