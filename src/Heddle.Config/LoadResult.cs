using Heddle.Config.Model;

namespace Heddle.Config;

/// <summary>The resources that loaded without errors, and every problem found while loading.</summary>
public sealed record LoadResult(ConfigSet Config, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>True when any diagnostic is an error (some resource or file was left out).</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var diagnostic in Diagnostics)
            {
                if (diagnostic.Severity == Severity.Error)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
