namespace Heddle.Config.Model;

/// <summary>Builds and takes apart field paths such as <c>spec.http[0].match[1].headers.end-user</c>.</summary>
public static class FieldPath
{
    /// <summary>The path of a child field.</summary>
    public static string Field(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    /// <summary>The path of a list element.</summary>
    public static string Index(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The path of a map entry; keys that are not plain words are quoted, as in <c>metadata.labels["app.kubernetes.io/name"]</c>.</summary>
    public static string Key(string parent, string key)
    {
        foreach (char c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return $"{parent}[\"{key.Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";
            }
        }
        return key.Length == 0 ? $"{parent}[\"\"]" : Field(parent, key);
    }

    /// <summary>The path without its last segment ("" for a top-level field).</summary>
    public static string Parent(string path)
    {
        if (path.EndsWith(']'))
        {
            // An index or a quoted key: find the '[' that opens the last segment, skipping quoted text.
            int open = path.EndsWith("\"]", StringComparison.Ordinal)
                ? path.LastIndexOf("[\"", path.Length - 2, StringComparison.Ordinal)
                : path.LastIndexOf('[');
            return open <= 0 ? "" : path[..open];
        }
        int dot = path.LastIndexOf('.');
        return dot < 0 ? "" : path[..dot];
    }
}
