using System.CommandLine;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Commands;

/// <summary>Options that several commands share, so that they are spelled and described once.</summary>
internal static class CommonOptions
{
    public static Option<string?> RunDirectory() => new("--run-dir")
    {
        Description = $"Where the running mesh keeps its state (default: ${LocalMesh.RunDirectory.EnvironmentVariable}, else /tmp/heddle-<uid>/mesh)",
        HelpName = "DIR",
    };
}
