using System.Text;

namespace Heddle.Benchmarks.Runner.Topology;

/// <summary>Fills the <c>{{NAME}}</c> placeholders of a config kept in benchmarks/configs and writes it to the run directory.</summary>
internal static class ConfigTemplate
{
    public static string Render(string templatePath, string outputPath, IReadOnlyDictionary<string, string> values)
    {
        var text = new StringBuilder(File.ReadAllText(templatePath));
        foreach (KeyValuePair<string, string> value in values)
        {
            text.Replace("{{" + value.Key + "}}", value.Value);
        }

        string rendered = text.ToString();
        int leftover = rendered.IndexOf("{{", StringComparison.Ordinal);
        if (leftover >= 0)
        {
            int end = rendered.IndexOf("}}", leftover, StringComparison.Ordinal);
            throw new InvalidOperationException(
                $"{templatePath}: placeholder {rendered[leftover..(end < 0 ? leftover + 2 : end + 2)]} has no value");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        File.WriteAllText(outputPath, rendered);
        return outputPath;
    }
}
