using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Heddle.Benchmarks.Runner.Report;

/// <summary>docs/performance.json: the same data as the Markdown report, for tools.</summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new RoundedDoubleConverter() },
    };

    public static string Render(BenchmarkReport report) => JsonSerializer.Serialize(report, Options) + Environment.NewLine;
}

/// <summary>Writes doubles with at most 4 decimals: the measurements are not more precise than that.</summary>
internal sealed class RoundedDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(Math.Round(value, 4));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
