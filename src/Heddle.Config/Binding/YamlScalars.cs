using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Heddle.Config.Binding;

/// <summary>What a plain (unquoted) scalar means under the YAML 1.2 core schema, which Kubernetes tooling follows.</summary>
internal static partial class YamlScalars
{
    public enum Kind
    {
        String,
        Null,
        Bool,
        Integer,
        Float,
    }

    public static Kind Classify(YamlScalarNode node)
    {
        if (node.Style != ScalarStyle.Plain || (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific && node.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return Kind.String;
        }
        string value = node.Value ?? "";
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => Kind.Null,
            "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => Kind.Bool,
            _ when Integer().IsMatch(value) => Kind.Integer,
            _ when Float().IsMatch(value) => Kind.Float,
            _ => Kind.String,
        };
    }

    public static bool IsNull(YamlNode node) => node is YamlScalarNode scalar && Classify(scalar) == Kind.Null;

    public static bool TryParseInteger(string text, out long value)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            return long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        if (text.StartsWith("0o", StringComparison.Ordinal))
        {
            try
            {
                value = Convert.ToInt64(text[2..], 8);
                return true;
            }
            catch (Exception exception) when (exception is FormatException or OverflowException)
            {
                value = 0;
                return false;
            }
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static double ParseFloat(string text) => text.TrimStart('+', '-').ToLowerInvariant() switch
    {
        ".inf" => text.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity,
        ".nan" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>Describes a node for "got ..." in messages.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => Classify(scalar) switch
        {
            Kind.String => $"the string \"{scalar.Value}\"",
            Kind.Null => "null",
            Kind.Bool => $"the boolean {scalar.Value}",
            _ => $"the number {scalar.Value}",
        },
        _ => "an alias",
    };

    [GeneratedRegex("^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex Float();
}
