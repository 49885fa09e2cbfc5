using System.CommandLine;
using Heddle.Cli.LocalMesh;
using Heddle.Config;
using Heddle.Config.Model;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle apply -f FILE</c>: checks FILE together with the running mesh's configuration (the file replacing any
/// file of the same name) and, when there is no error, writes it into the configuration directory, where the
/// control plane picks it up. An invalid file is refused with the analyzer's messages and changes nothing.
/// </summary>
internal static class ApplyCommand
{
    public static Command Create()
    {
        var file = new Option<string>("--filename", "-f") { Description = "The YAML file to apply", Required = true, HelpName = "FILE" };
        var runDirectory = CommonOptions.RunDirectory();
        var command = new Command("apply", "Validate a YAML file against the running mesh's configuration and add it (or replace the file of that name)")
        {
            file, runDirectory,
        };
        command.SetAction(parseResult => Run(
            RunDirectory.Resolve(parseResult.GetValue(runDirectory)),
            parseResult.GetRequiredValue(file),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(RunDirectory runDirectory, string file, TextWriter output, TextWriter error)
    {
        var state = runDirectory.TryReadRunning(out string problem);
        if (state is null)
        {
            error.WriteLine($"heddle apply: {problem}");
            return 1;
        }

        return Apply(state.ConfigDirectory, file, output, error);
    }

    /// <summary>Applies <paramref name="file"/> to <paramref name="configDirectory"/>; 0 when written, 1 when refused.</summary>
    public static int Apply(string configDirectory, string file, TextWriter output, TextWriter error)
    {
        if (!File.Exists(file))
        {
            error.WriteLine($"heddle apply: {file}: no such file");
            return 1;
        }

        string name = Path.GetFileName(file);
        if (!IsYaml(name))
        {
            error.WriteLine($"heddle apply: {file}: the control plane reads only *.yaml and *.yml files; rename it");
            return 1;
        }

        string target = Path.Combine(configDirectory, name);
        string source = Path.GetFullPath(file);
        var others = Directory.EnumerateFiles(configDirectory, "*", SearchOption.AllDirectories)
            .Where(f => IsYaml(f) && !PathEquals(f, target) && !PathEquals(f, source))
            .Order(StringComparer.Ordinal)
            .ToList();

        string relativeTarget = Path.GetRelativePath(configDirectory, target);
        var before = ConfigLoader.LoadDirectory(configDirectory).Config.All.ToList();
        var check = ConfigCheck.Run(ConfigLoader.LoadFiles([.. others, file]));
        if (check.HasErrors)
        {
            check.WriteProblems(error);
            foreach (var resource in ConfigLoader.LoadFiles([file]).Config.All)
            {
                if (before.FirstOrDefault(b => b.DisplayName == resource.DisplayName && b.Source.File != relativeTarget) is { } elsewhere)
                {
                    error.WriteLine($"hint: {resource.DisplayName} is defined in {elsewhere.Source.File}; apply replaces files by name, so apply it as {elsewhere.Source.File}");
                }
            }

            error.WriteLine($"heddle apply: {file} was not applied: the configuration would have errors; nothing changed");
            return 1;
        }

        check.WriteProblems(error);
        bool unchanged = File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(File.ReadAllBytes(file));
        if (!unchanged && !PathEquals(source, target))
        {
            // Written beside the target under a name the control plane ignores, then renamed over it:
            // the control plane sees the old file or the new one, never a half-written one.
            string temporary = Path.Combine(configDirectory, $".{name}.{Environment.ProcessId}.tmp");
            File.Copy(file, temporary, overwrite: true);
            File.Move(temporary, target, overwrite: true);
        }

        var applied = check.Config.All.Where(r => r.Source.File == file).ToList();
        foreach (var resource in applied)
        {
            string verb = unchanged ? "unchanged"
                : before.Any(b => b.DisplayName == resource.DisplayName) ? "configured"
                : "created";
            output.WriteLine($"{resource.DisplayName} {verb}");
        }

        foreach (var removed in before.Where(b => b.Source.File == relativeTarget && applied.All(a => a.DisplayName != b.DisplayName)))
        {
            output.WriteLine($"{removed.DisplayName} deleted");
        }

        output.WriteLine(unchanged
            ? $"{target} already has this content"
            : $"wrote {target}; the control plane pushes the change to the sidecars");
        if (applied.OfType<LocalWorkload>().Any())
        {
            output.WriteLine("note: LocalWorkload changes take effect when the mesh is started again (heddle up)");
        }

        return 0;
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static bool PathEquals(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
