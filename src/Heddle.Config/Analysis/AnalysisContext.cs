using Heddle.Config.Model;

namespace Heddle.Config.Analysis;

/// <summary>What an analyzer check sees (the configuration and its service catalog) and where it reports.</summary>
internal sealed class AnalysisContext(ConfigSet config)
{
    public ConfigSet Config { get; } = config;

    public ServiceCatalog Catalog { get; } = ServiceCatalog.Build(config);

    public List<Diagnostic> Diagnostics { get; } = [];

    public void Error(Resource resource, string path, string message) =>
        Diagnostics.Add(new Diagnostic(Severity.Error, resource.Source.File, resource.Source.LineOf(path), path, message));

    public void Warning(Resource resource, string path, string message) =>
        Diagnostics.Add(new Diagnostic(Severity.Warning, resource.Source.File, resource.Source.LineOf(path), path, message));
}
