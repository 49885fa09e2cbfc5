using System.Text.RegularExpressions;

namespace Heddle.Config.Validation;

/// <summary>Syntax checks for the names Kubernetes and Istio use.</summary>
internal static partial class Names
{
    /// <summary>DNS-1123 label: namespaces, port names, subset names.</summary>
    public static bool IsDns1123Label(string value) => value.Length <= 63 && Dns1123Label().IsMatch(value);

    /// <summary>DNS-1123 subdomain: most resource names.</summary>
    public static bool IsDns1123Subdomain(string value) => value.Length <= 253 && Dns1123Subdomain().IsMatch(value);

    /// <summary>DNS-1035 label: Service names (must start with a letter).</summary>
    public static bool IsDns1035Label(string value) => value.Length <= 63 && Dns1035Label().IsMatch(value);

    /// <summary>IANA service name: container port names.</summary>
    public static bool IsIanaServiceName(string value) =>
        value.Length is >= 1 and <= 15 && IanaServiceName().IsMatch(value) && !value.Contains("--", StringComparison.Ordinal)
        && value.Any(char.IsAsciiLetter);

    /// <summary>A label key: optional DNS subdomain prefix and '/', then a name of up to 63 characters.</summary>
    public static bool IsLabelKey(string key)
    {
        int slash = key.LastIndexOf('/');
        string name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && !IsDns1123Subdomain(key[..slash]))
        {
            return false;
        }
        return name.Length is >= 1 and <= 63 && LabelValue().IsMatch(name);
    }

    /// <summary>A label value: empty, or up to 63 alphanumerics, '-', '_' and '.', starting and ending alphanumeric.</summary>
    public static bool IsLabelValue(string value) => value.Length == 0 || (value.Length <= 63 && LabelValue().IsMatch(value));

    /// <summary>A host name: DNS labels separated by dots, optionally starting with "*." or being "*".</summary>
    public static bool IsHost(string host)
    {
        if (host == "*")
        {
            return true;
        }
        string rest = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return rest.Length is >= 1 and <= 253 && HostLabels().IsMatch(rest);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex IanaServiceName();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"^[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?)*\.?$")]
    private static partial Regex HostLabels();
}
