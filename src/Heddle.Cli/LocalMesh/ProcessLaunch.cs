namespace Heddle.Cli.LocalMesh;

/// <summary>
/// How to start one process of the mesh: the program (already resolved to a path), its arguments, its working
/// directory and the variables set on top of the inherited environment (a null value removes one).
/// </summary>
internal sealed record ProcessLaunch(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>The command line as a person would type it, for messages.</summary>
    public string Display => Arguments.Count == 0 ? FileName : FileName + " " + string.Join(' ', Arguments);
}
