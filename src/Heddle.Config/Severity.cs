namespace Heddle.Config;

/// <summary>How serious a configuration problem is.</summary>
public enum Severity
{
    /// <summary>The configuration is wrong; the resource is not used (loader) or traffic will fail (analyzer).</summary>
    Error,

    /// <summary>Probably a mistake, but the configuration is usable.</summary>
    Warning,
}
