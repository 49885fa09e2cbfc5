using System.Collections.Immutable;
using Heddle.Config;
using Heddle.Config.Model;

namespace Heddle.ControlPlane.Registry;

/// <summary>The configuration being served and what the latest load attempt reported.</summary>
/// <param name="Config">The last configuration without errors.</param>
/// <param name="Version">A number that grows by one with every configuration accepted ("0": none yet).</param>
/// <param name="Problems">Every diagnostic of the latest load attempt, including the errors of a rejected one.</param>
public sealed record ConfigState(ConfigSet Config, string Version, ImmutableArray<Diagnostic> Problems)
{
    public static ConfigState Initial { get; } = new(ConfigSet.Empty, "0", []);
}
