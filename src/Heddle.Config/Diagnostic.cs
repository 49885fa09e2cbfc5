namespace Heddle.Config;

/// <summary>
/// One configuration problem: where it is (file as given, 1-based line, field path) and what was expected.
/// Prints as <c>routes.yaml:14 spec.http[0].route[1].weight: weights of a route must sum to 100, got 90</c>.
/// </summary>
public sealed record Diagnostic(Severity Severity, string File, int Line, string Path, string Message)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        string location = Line > 0 ? $"{File}:{Line}" : File;
        string prefix = Severity == Severity.Warning ? "warning: " : "";
        return Path.Length > 0 ? $"{location} {Path}: {prefix}{Message}" : $"{location}: {prefix}{Message}";
    }
}
