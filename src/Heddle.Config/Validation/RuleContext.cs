using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>What a validation rule sees (all resources being loaded) and where it reports problems.</summary>
internal sealed class RuleContext(IReadOnlyList<Resource> loaded)
{
    private readonly HashSet<Resource> rejected = new(ReferenceEqualityComparer.Instance);

    /// <summary>Every resource that was read without binding errors, in load order.</summary>
    public IReadOnlyList<Resource> Loaded { get; } = loaded;

    public List<Diagnostic> Diagnostics { get; } = [];

    /// <summary>True when an error was reported for <paramref name="resource"/>; it is left out of the configuration.</summary>
    public bool IsRejected(Resource resource) => rejected.Contains(resource);

    public void Error(Resource resource, string path, string message)
    {
        rejected.Add(resource);
        Diagnostics.Add(new Diagnostic(Severity.Error, resource.Source.File, resource.Source.LineOf(path), path, message));
    }

    public void Warning(Resource resource, string path, string message) =>
        Diagnostics.Add(new Diagnostic(Severity.Warning, resource.Source.File, resource.Source.LineOf(path), path, message));
}
