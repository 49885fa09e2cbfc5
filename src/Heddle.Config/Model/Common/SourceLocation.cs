namespace Heddle.Config.Model;

/// <summary>
/// Where a resource was read from: the file as given, the 1-based line of the document, and the line of
/// every field (by path, e.g. <c>spec.http[0].route[1].weight</c>) so that later checks point at the exact line.
/// </summary>
public sealed record SourceLocation(string File, int Line)
{
    /// <summary>A location for resources built in code rather than read from a file.</summary>
    public static SourceLocation None { get; } = new("", 0);

    /// <summary>Absolute directory of the file, for resolving relative paths; null when the text came from no file.</summary>
    public string? Directory { get; init; }

    /// <summary>1-based line of each field path that appeared in the document.</summary>
    public ImmutableDictionary<string, int> FieldLines { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>The line of <paramref name="path"/>, or of its nearest ancestor that appeared in the document.</summary>
    public int LineOf(string path)
    {
        string current = path;
        while (current.Length > 0)
        {
            if (FieldLines.TryGetValue(current, out int line))
            {
                return line;
            }
            current = FieldPath.Parent(current);
        }
        return Line;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}";
}
