using System.Text.Json;

namespace Heddle.Cli.LocalMesh;

/// <summary>
/// The directory where <c>heddle up</c> keeps the state of the running mesh (<c>mesh.json</c>):
/// <c>--run-dir</c>, else <c>$HEDDLE_RUN_DIR</c>, else <c>/tmp/heddle-&lt;uid&gt;/mesh</c>.
/// </summary>
internal sealed class RunDirectory
{
    public const string EnvironmentVariable = "HEDDLE_RUN_DIR";
    public const string StateFileName = "mesh.json";

    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public string StateFile => System.IO.Path.Combine(Path, StateFileName);

    /// <summary>Where the control plane saves the pods it knows, so that its restart keeps every endpoint.</summary>
    public string PodRegistryFile => System.IO.Path.Combine(Path, "control-plane-pods.json");

    /// <summary>Resolves the run directory from the option, the environment and the default, in that order.</summary>
    public static RunDirectory Resolve(string? option)
    {
        if (!string.IsNullOrEmpty(option))
        {
            return new RunDirectory(option);
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return new RunDirectory(fromEnvironment);
        }

        return new RunDirectory($"/tmp/heddle-{Native.EffectiveUserId()}/mesh");
    }

    /// <summary>Writes the state atomically: readers see the old file or the new one, never half of it.</summary>
    public void Write(MeshState state)
    {
        Directory.CreateDirectory(Path);
        string temporary = StateFile + ".tmp";
        using (var stream = File.Create(temporary))
        {
            JsonSerializer.Serialize(stream, state, MeshStateJsonContext.Default.MeshState);
        }

        File.Move(temporary, StateFile, overwrite: true);
    }

    /// <summary>Reads the state, or null when there is none or it cannot be read.</summary>
    public MeshState? TryRead()
    {
        try
        {
            using var stream = File.OpenRead(StateFile);
            return JsonSerializer.Deserialize(stream, MeshStateJsonContext.Default.MeshState);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The state of a mesh whose <c>heddle up</c> is still alive, or null with the reason for the user.</summary>
    public MeshState? TryReadRunning(out string error)
    {
        var state = TryRead();
        if (state is null)
        {
            error = $"no mesh is running (no {StateFileName} in {Path}); start one with `heddle up DIR`, or pass the --run-dir it uses";
            return null;
        }

        if (!Native.IsAlive(state.Pid))
        {
            error = $"the mesh recorded in {StateFile} is not running any more (heddle up, pid {state.Pid}, is gone)";
            return null;
        }

        error = "";
        return state;
    }

    public void Delete()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        File.Delete(StateFile);
        File.Delete(StateFile + ".tmp");
        File.Delete(PodRegistryFile);
    }
}
