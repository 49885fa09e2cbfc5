namespace Heddle.Config.Model;

/// <summary>Heddle <c>LocalWorkload</c>: a process that the local mesh runs, with its labels, ports, identity and replicas.</summary>
public sealed record LocalWorkload() : Resource<LocalWorkloadSpec>(ApiVersions.HeddleV1Alpha1)
{
    /// <summary>The kind as written in YAML.</summary>
    public const string KindName = "LocalWorkload";

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <summary>The workload's labels (its <c>metadata.labels</c>), matched by Service selectors and subsets.</summary>
    public ImmutableSortedDictionary<string, string> Labels => Metadata.Labels;

    /// <summary>The service account, "default" when the spec does not name one (as in Kubernetes).</summary>
    public string ServiceAccount => Spec.ServiceAccount ?? "default";

    /// <summary>
    /// The absolute working directory: <c>workingDir</c> resolved against the directory of the file the workload
    /// was read from (the current directory when it came from no file); that directory itself when absent.
    /// </summary>
    public string ResolveWorkingDirectory()
    {
        string baseDirectory = Source.Directory ?? Environment.CurrentDirectory;
        return Path.GetFullPath(Spec.WorkingDir is { Length: > 0 } dir ? Path.Combine(baseDirectory, dir) : baseDirectory);
    }
}
