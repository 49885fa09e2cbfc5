using System.Collections.Concurrent;
using System.Reflection;

namespace Heddle.Config.Binding;

/// <summary>The YAML fields of a model record: every public property with an init accessor, by camelCase name.</summary>
internal sealed class TypeShape
{
    private static readonly ConcurrentDictionary<Type, TypeShape> Cache = new();

    private TypeShape(Type type)
    {
        var fields = new Dictionary<string, FieldShape>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
            {
                var field = new FieldShape(property);
                fields.Add(field.YamlName, field);
            }
        }
        Fields = fields;
        Ignored = type.GetCustomAttribute<IgnoredFieldsAttribute>()?.Names.ToHashSet(StringComparer.Ordinal) ?? [];
    }

    public IReadOnlyDictionary<string, FieldShape> Fields { get; }

    public IReadOnlySet<string> Ignored { get; }

    public static TypeShape Of(Type type) => Cache.GetOrAdd(type, static t => new TypeShape(t));
}
