using Heddle.Config.Loading;
using Heddle.Config.Model;
using Heddle.Config.Validation;

namespace Heddle.Config;

/// <summary>
/// Loads configuration resources from multi-document YAML. Every problem becomes a <see cref="Diagnostic"/> naming
/// file, line, field path and what was expected; a resource with an error is left out, the others load.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads every *.yaml and *.yml file under <paramref name="directory"/>, recursively, in ordinal order of their relative paths, which name them in diagnostics.</summary>
    public static LoadResult LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return new LoadResult(ConfigSet.Empty, [new Diagnostic(Severity.Error, directory, 0, "", "directory not found")]);
        }
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Select(f => (Path: f, Name: Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Name, StringComparer.Ordinal);
        return Load(files.Select(f => ReadFile(f.Path, f.Name)));
    }

    /// <summary>Loads the given files in order, naming them as given.</summary>
    public static LoadResult LoadFiles(IEnumerable<string> paths) => Load(paths.Select(p => ReadFile(p, p)));

    /// <summary>
    /// Loads YAML text, naming it <paramref name="fileName"/> in diagnostics; relative paths in it (LocalWorkload
    /// <c>workingDir</c>) resolve against the directory of <paramref name="fileName"/>.
    /// </summary>
    public static LoadResult LoadText(string yaml, string fileName) =>
        Load([new SourceText(fileName, yaml, DirectoryOf(fileName), null)]);

    private static LoadResult Load(IEnumerable<SourceText> sources)
    {
        var diagnostics = new List<Diagnostic>();
        var fileOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        var candidates = new List<Resource>();
        var broken = new List<(Resource, IReadOnlyList<Diagnostic>)>();
        foreach (var source in sources)
        {
            fileOrder.TryAdd(source.Name, fileOrder.Count);
            if (source.ReadError is not null)
            {
                diagnostics.Add(source.ReadError);
                continue;
            }
            foreach (var item in DocumentReader.Read(source.Text, source.Name, source.Directory, diagnostics))
            {
                diagnostics.AddRange(item.Context.Diagnostics);
                if (item.Resource is not null && !item.Context.HasErrors)
                {
                    candidates.Add(item.Resource);
                }
                else if (item.Resource is not null)
                {
                    broken.Add((item.Resource, item.Context.Diagnostics));
                }
            }
        }
        var validation = ResourceValidator.Validate(candidates);
        diagnostics.AddRange(validation.Diagnostics);
        // A resource that did not bind is left out, but its other mistakes are reported in the same run.
        diagnostics.AddRange(ResourceValidator.ValidateBroken(broken, candidates));
        var accepted = candidates.Where(r => !validation.IsRejected(r));
        var ordered = diagnostics
            .Select((d, index) => (Diagnostic: d, Index: index))
            .OrderBy(x => fileOrder.GetValueOrDefault(x.Diagnostic.File, int.MaxValue))
            .ThenBy(x => x.Diagnostic.Line)
            .ThenBy(x => x.Index)
            .Select(x => x.Diagnostic);
        return new LoadResult(ConfigSet.From(accepted), [.. ordered]);
    }

    private static SourceText ReadFile(string path, string name)
    {
        try
        {
            return new SourceText(name, File.ReadAllText(path), DirectoryOf(path), null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new SourceText(name, "", null, new Diagnostic(Severity.Error, name, 0, "", $"cannot read file: {exception.Message}"));
        }
    }

    private static string? DirectoryOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path));

    private sealed record SourceText(string Name, string Text, string? Directory, Diagnostic? ReadError);
}
