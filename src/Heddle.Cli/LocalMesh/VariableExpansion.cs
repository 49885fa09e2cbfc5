using System.Text;

namespace Heddle.Cli.LocalMesh;

/// <summary>
/// Expands <c>$(VAR)</c> references in commands, arguments and environment values the way Kubernetes does for a
/// container: <c>$$</c> is an escaped <c>$</c>, a reference to an undefined variable is left as written, and
/// an unterminated <c>$(</c> is kept literally.
/// </summary>
internal static class VariableExpansion
{
    /// <summary>Expands every <c>$(NAME)</c> of <paramref name="input"/> that <paramref name="variables"/> defines.</summary>
    public static string Expand(string input, IReadOnlyDictionary<string, string> variables)
    {
        int dollar = input.IndexOf('$', StringComparison.Ordinal);
        if (dollar < 0)
        {
            return input;
        }

        var result = new StringBuilder(input.Length + 16);
        result.Append(input, 0, dollar);
        int i = dollar;
        while (i < input.Length)
        {
            char c = input[i];
            if (c != '$' || i + 1 == input.Length)
            {
                result.Append(c);
                i++;
                continue;
            }

            char next = input[i + 1];
            if (next == '$')
            {
                result.Append('$');
                i += 2;
            }
            else if (next == '(')
            {
                int close = input.IndexOf(')', i + 2);
                if (close < 0)
                {
                    result.Append("$(");
                    i += 2;
                    continue;
                }

                string name = input.Substring(i + 2, close - i - 2);
                if (variables.TryGetValue(name, out string? value))
                {
                    result.Append(value);
                }
                else
                {
                    result.Append("$(").Append(name).Append(')');
                }

                i = close + 1;
            }
            else
            {
                result.Append('$').Append(next);
                i += 2;
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// Builds a container environment: <paramref name="baseVariables"/> first, then each of <paramref name="declared"/>
    /// in order, its value expanded against everything defined before it (a later entry may refer to an earlier one, not the reverse).
    /// </summary>
    public static Dictionary<string, string> Environment(
        IEnumerable<KeyValuePair<string, string>> baseVariables,
        IEnumerable<KeyValuePair<string, string>> declared)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in baseVariables)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in declared)
        {
            environment[name] = Expand(value, environment);
        }

        return environment;
    }
}
