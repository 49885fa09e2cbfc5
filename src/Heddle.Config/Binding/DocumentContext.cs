namespace Heddle.Config.Binding;

/// <summary>Collects what binding one YAML document produced besides values: diagnostics and the line of every field.</summary>
internal sealed class DocumentContext(string file)
{
    public string File { get; } = file;

    public List<Diagnostic> Diagnostics { get; } = [];

    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    public bool HasErrors { get; private set; }

    public void Error(int line, string path, string message)
    {
        HasErrors = true;
        Diagnostics.Add(new Diagnostic(Severity.Error, File, line, path, message));
    }

    public void Warning(int line, string path, string message) =>
        Diagnostics.Add(new Diagnostic(Severity.Warning, File, line, path, message));
}
