using Heddle.Config.Model;
using YamlDotNet.RepresentationModel;

namespace Heddle.Config.Binding;

/// <summary>
/// Binds scalar YAML nodes to strings, numbers, booleans, durations, enums and ports, with Kubernetes' strictness:
/// an unquoted <c>8080</c> is a number and is refused where a string is expected.
/// </summary>
internal sealed class ScalarBinder(DocumentContext context)
{
    public bool TryBind(YamlNode node, Type type, string path, out object? value)
    {
        value = null;
        if (node is not YamlScalarNode scalar)
        {
            return Mismatch(node, path, ExpectedName(type));
        }
        string text = scalar.Value ?? "";
        var kind = YamlScalars.Classify(scalar);
        if (type == typeof(string))
        {
            if (kind != YamlScalars.Kind.String)
            {
                context.Error(Line(node), path, $"expected a string, got {YamlScalars.Describe(node)} (quote it: \"{text}\")");
                return false;
            }
            value = text;
            return true;
        }
        if (type == typeof(bool))
        {
            value = kind == YamlScalars.Kind.Bool ? bool.Parse(text) : null;
            return value is not null || Mismatch(node, path, "true or false");
        }
        if (type == typeof(int) || type == typeof(long))
        {
            if (kind != YamlScalars.Kind.Integer || !YamlScalars.TryParseInteger(text, out long number))
            {
                return Mismatch(node, path, "an integer");
            }
            if (type == typeof(int) && number is < int.MinValue or > int.MaxValue)
            {
                return Mismatch(node, path, "an integer that fits in 32 bits");
            }
            value = type == typeof(int) ? (object)(int)number : number;
            return true;
        }
        if (type == typeof(double))
        {
            if (kind is not (YamlScalars.Kind.Integer or YamlScalars.Kind.Float))
            {
                return Mismatch(node, path, "a number");
            }
            value = kind == YamlScalars.Kind.Integer && YamlScalars.TryParseInteger(text, out long whole)
                ? (double)whole
                : YamlScalars.ParseFloat(text);
            return true;
        }
        if (type == typeof(TimeSpan))
        {
            if (kind != YamlScalars.Kind.String)
            {
                return Mismatch(node, path, "a duration such as \"1.5s\" or \"100ms\"");
            }
            if (!Durations.TryParse(text, out var duration, out string? error))
            {
                context.Error(Line(node), path, error!);
                return false;
            }
            value = duration;
            return true;
        }
        if (type == typeof(IntOrString))
        {
            if (kind == YamlScalars.Kind.Integer && YamlScalars.TryParseInteger(text, out long port) && port is >= int.MinValue and <= int.MaxValue)
            {
                value = IntOrString.FromNumber((int)port);
                return true;
            }
            if (kind == YamlScalars.Kind.String)
            {
                value = IntOrString.FromName(text);
                return true;
            }
            return Mismatch(node, path, "a port number or name");
        }
        if (type.IsEnum)
        {
            var names = EnumNames.Of(type);
            if (kind == YamlScalars.Kind.String && names.TryGetValue(text, out value))
            {
                return true;
            }
            context.Error(Line(node), path, $"expected one of {string.Join(", ", names.Keys)}, got {YamlScalars.Describe(node)}");
            return false;
        }
        throw new NotSupportedException($"The configuration model uses a type the binder does not know: {type}");
    }

    private bool Mismatch(YamlNode node, string path, string expected)
    {
        context.Error(Line(node), path, $"expected {expected}, got {YamlScalars.Describe(node)}");
        return false;
    }

    private static string ExpectedName(Type type) => type switch
    {
        _ when type == typeof(string) => "a string",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "an integer",
        _ when type == typeof(double) => "a number",
        _ when type == typeof(TimeSpan) => "a duration such as \"1.5s\" or \"100ms\"",
        _ when type == typeof(IntOrString) => "a port number or name",
        _ when type.IsEnum => $"one of {string.Join(", ", EnumNames.Of(type).Keys)}",
        _ => "a value",
    };

    private static int Line(YamlNode node) => (int)node.Start.Line;
}
