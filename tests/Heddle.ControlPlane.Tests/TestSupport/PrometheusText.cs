using System.Globalization;
using System.Text.RegularExpressions;

namespace Heddle.ControlPlane.Tests.TestSupport;

/// <summary>Parses Prometheus text exposition format into samples (<c>name{labels}</c> → value) and declared types,
/// checking every line's syntax on the way.</summary>
internal sealed partial class PrometheusText
{
    private PrometheusText(Dictionary<string, double> samples, Dictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    /// <summary>Keyed by the series as written: <c>pilot_xds_pushes{result="acked"}</c>.</summary>
    public IReadOnlyDictionary<string, double> Samples { get; }

    /// <summary>Metric name → counter, gauge or histogram.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public double this[string series] => Samples.TryGetValue(series, out double value) ? value : throw new KeyNotFoundException($"no series {series}; got: {string.Join(", ", Samples.Keys)}");

    public static PrometheusText Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }

            var type = TypeLine().Match(line);
            if (type.Success)
            {
                types.Add(type.Groups["name"].Value, type.Groups["type"].Value);
                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a Prometheus sample line: '{line}'");
            string value = sample.Groups["value"].Value;
            samples.Add(sample.Groups["series"].Value, value == "+Inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture));
        }

        return new PrometheusText(samples, types);
    }

    [GeneratedRegex(@"^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<type>counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*=""([^""\\]|\\.)*"",?)*\})?) (?<value>\S+)$")]
    private static partial Regex SampleLine();
}
