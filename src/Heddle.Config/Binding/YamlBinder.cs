using System.Collections.Concurrent;
using System.Reflection;
using Heddle.Config.Model;
using YamlDotNet.RepresentationModel;

namespace Heddle.Config.Binding;

/// <summary>
/// Binds YAML nodes to the model records by convention (property <c>PortLevelSettings</c> is field
/// <c>portLevelSettings</c>), reporting unknown fields, wrong types, missing required fields, <c>oneof</c>
/// conflicts and field constraints with the path and line of the offending node.
/// </summary>
internal sealed class YamlBinder(DocumentContext context)
{
    private static readonly ConcurrentDictionary<Type, Func<List<object?>, object>> ArrayFactories = new();
    private static readonly ConcurrentDictionary<Type, Func<List<KeyValuePair<string, object?>>, object>> MapFactories = new();

    private readonly ScalarBinder scalars = new(context);

    /// <summary>Binds a mapping to a new instance of record <paramref name="type"/>.</summary>
    public object BindRecord(YamlMappingNode node, Type type, string path)
    {
        var shape = TypeShape.Of(type);
        object instance = Activator.CreateInstance(type)!;
        var present = new HashSet<string>(StringComparer.Ordinal);
        var bound = new HashSet<string>(StringComparer.Ordinal);
        var oneOfSet = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in node.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? "";
            string fieldPath = FieldPath.Field(path, key);
            int line = Line(keyNode);
            context.Lines.TryAdd(fieldPath, line);
            if (!shape.Fields.TryGetValue(key, out var field))
            {
                if (!shape.Ignored.Contains(key))
                {
                    string? suggestion = Suggestions.Closest(key, shape.Fields.Keys);
                    context.Error(line, fieldPath, suggestion is null
                        ? $"unknown field \"{key}\"{Expecting(shape)}"
                        : $"unknown field \"{key}\" (did you mean \"{suggestion}\"?)");
                }
                continue;
            }
            if (YamlScalars.IsNull(valueNode))
            {
                continue;
            }
            if (field.Deprecation is not null)
            {
                context.Warning(line, fieldPath, $"\"{key}\" is deprecated; {field.Deprecation}");
            }
            present.Add(key);
            if (!TryBind(valueNode, field.Property.PropertyType, fieldPath, field.Constraints, out object? value))
            {
                continue;
            }
            bound.Add(key);
            field.Property.SetValue(instance, value);
            if (field.OneOfGroup is not null && IsSet(value))
            {
                if (oneOfSet.TryGetValue(field.OneOfGroup, out string? other))
                {
                    context.Error(line, fieldPath, $"only one of \"{other}\" and \"{key}\" may be set");
                }
                else
                {
                    oneOfSet.Add(field.OneOfGroup, key);
                }
            }
        }
        foreach (var field in shape.Fields.Values)
        {
            if (!field.Required)
            {
                continue;
            }
            string fieldPath = FieldPath.Field(path, field.YamlName);
            if (!present.Contains(field.YamlName))
            {
                // Reported where the parent starts, the same line later rules use for a missing field.
                context.Error(context.Lines.GetValueOrDefault(path, Line(node)), fieldPath, "required field is missing");
            }
            else if (bound.Contains(field.YamlName) && !IsSet(field.Property.GetValue(instance)))
            {
                context.Error(context.Lines.GetValueOrDefault(fieldPath, Line(node)), fieldPath, "must not be empty");
            }
        }
        return instance;
    }

    /// <summary>Binds any node to <paramref name="type"/>; false when the node was reported as wrong.</summary>
    public bool TryBind(YamlNode node, Type type, string path, ImmutableArray<FieldConstraintAttribute> constraints, out object? value)
    {
        value = null;
        context.Lines.TryAdd(path, Line(node));
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            return TryBindList(node, type, path, constraints, out value);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableSortedDictionary<,>))
        {
            return TryBindMap(node, type, path, constraints, out value);
        }
        if (type.IsClass && type != typeof(string))
        {
            if (node is not YamlMappingNode mapping)
            {
                return Mismatch(node, path, "a mapping");
            }
            value = BindRecord(mapping, type, path);
            return true;
        }
        if (!scalars.TryBind(node, type, path, out value))
        {
            return false;
        }
        foreach (var constraint in constraints)
        {
            if (constraint.Check(value!) is { } problem)
            {
                context.Error(Line(node), path, problem);
                return false;
            }
        }
        return true;
    }

    private bool TryBindList(YamlNode node, Type type, string path, ImmutableArray<FieldConstraintAttribute> constraints, out object? value)
    {
        value = null;
        if (node is not YamlSequenceNode sequence)
        {
            return Mismatch(node, path, "a list");
        }
        Type elementType = type.GetGenericArguments()[0];
        var items = new List<object?>(sequence.Children.Count);
        bool ok = true;
        for (int i = 0; i < sequence.Children.Count; i++)
        {
            string itemPath = FieldPath.Index(path, i);
            var item = sequence.Children[i];
            if (YamlScalars.IsNull(item))
            {
                ok = Mismatch(item, itemPath, "a value");
            }
            else if (TryBind(item, elementType, itemPath, constraints, out object? element))
            {
                items.Add(element);
            }
            else
            {
                ok = false;
            }
        }
        value = ArrayFactories.GetOrAdd(elementType, static t =>
            typeof(YamlBinder).GetMethod(nameof(MakeArray), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(t).CreateDelegate<Func<List<object?>, object>>())(items);
        return ok;
    }

    private bool TryBindMap(YamlNode node, Type type, string path, ImmutableArray<FieldConstraintAttribute> constraints, out object? value)
    {
        value = null;
        if (node is not YamlMappingNode mapping)
        {
            return Mismatch(node, path, "a mapping");
        }
        Type valueType = type.GetGenericArguments()[1];
        var entries = new List<KeyValuePair<string, object?>>(mapping.Children.Count);
        bool ok = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? "";
            string entryPath = FieldPath.Key(path, key);
            context.Lines.TryAdd(entryPath, Line(keyNode));
            if (YamlScalars.IsNull(valueNode) && valueType != typeof(string))
            {
                ok = Mismatch(valueNode, entryPath, "a value");
            }
            else if (YamlScalars.IsNull(valueNode))
            {
                entries.Add(new(key, ""));
            }
            else if (TryBind(valueNode, valueType, entryPath, constraints, out object? entry))
            {
                entries.Add(new(key, entry));
            }
            else
            {
                ok = false;
            }
        }
        value = MapFactories.GetOrAdd(valueType, static t =>
            typeof(YamlBinder).GetMethod(nameof(MakeMap), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(t).CreateDelegate<Func<List<KeyValuePair<string, object?>>, object>>())(entries);
        return ok;
    }

    private bool Mismatch(YamlNode node, string path, string expected)
    {
        context.Error(Line(node), path, $"expected {expected}, got {YamlScalars.Describe(node)}");
        return false;
    }

    private static string Expecting(TypeShape shape) =>
        shape.Fields.Count == 0 ? "" : $"; expected one of {string.Join(", ", shape.Fields.Keys)}";

    private static bool IsSet(object? value) => value switch
    {
        null => false,
        string text => text.Length > 0,
        System.Collections.IEnumerable sequence => sequence.GetEnumerator().MoveNext(),
        _ => true,
    };

    private static int Line(YamlNode node) => (int)node.Start.Line;

    private static object MakeArray<T>(List<object?> items)
    {
        var builder = ImmutableArray.CreateBuilder<T>(items.Count);
        foreach (object? item in items)
        {
            builder.Add((T)item!);
        }
        return builder.MoveToImmutable();
    }

    private static object MakeMap<T>(List<KeyValuePair<string, object?>> entries)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            builder[key] = (T)value!;
        }
        return builder.ToImmutable();
    }
}
