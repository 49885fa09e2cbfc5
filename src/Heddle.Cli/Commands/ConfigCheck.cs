using System.Collections.Immutable;
using Heddle.Config;
using Heddle.Config.Model;

namespace Heddle.Cli.Commands;

/// <summary>
/// The one way the CLI checks configuration: load it (the loader's problems) and analyze what loaded
/// (cross-references), then report both the same way in <c>analyze</c>, <c>up</c> and <c>apply</c>.
/// </summary>
internal sealed record ConfigCheck(ConfigSet Config, ImmutableArray<Diagnostic> Problems)
{
    public int ErrorCount => Problems.Count(p => p.Severity == Severity.Error);

    public int WarningCount => Problems.Count(p => p.Severity == Severity.Warning);

    public bool HasErrors => ErrorCount > 0;

    public static ConfigCheck Run(LoadResult loaded) =>
        new(loaded.Config, loaded.Diagnostics.AddRange(ConfigAnalyzer.Analyze(loaded.Config)));

    /// <summary>Every problem on its own line (<c>file:line path: message</c>), then a count.</summary>
    public void WriteProblems(TextWriter output)
    {
        foreach (var problem in Problems)
        {
            output.WriteLine(problem.ToString());
        }

        if (Problems.Length > 0)
        {
            output.WriteLine(Summary);
        }
    }

    public string Summary =>
        $"{ErrorCount} error{(ErrorCount == 1 ? "" : "s")}, {WarningCount} warning{(WarningCount == 1 ? "" : "s")}";
}
