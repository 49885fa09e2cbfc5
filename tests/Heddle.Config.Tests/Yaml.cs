namespace Heddle.Config.Tests;

/// <summary>Loads inline YAML as file "test.yaml", so expected diagnostics read "test.yaml:LINE path: message".</summary>
internal static class Yaml
{
    public const string File = "test.yaml";

    public static LoadResult Load(string yaml) => ConfigLoader.LoadText(yaml, File);

    /// <summary>Loads and analyzes: loader diagnostics followed by analyzer diagnostics.</summary>
    public static ImmutableArray<Diagnostic> Analyze(string yaml)
    {
        var result = Load(yaml);
        DiagnosticAssert.NoErrors(result.Diagnostics);
        return ConfigAnalyzer.Analyze(result.Config);
    }
}
