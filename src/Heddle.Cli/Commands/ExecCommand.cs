using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle exec WORKLOAD [--replica N] -- CMD ARGS…</c>: runs a command as if inside a replica of a workload of the
/// running mesh (its POD_IP, POD_NAME, HTTP_PROXY, …), with the terminal's stdio, and exits with its exit code.
/// </summary>
internal static class ExecCommand
{
    public static Command Create()
    {
        var workload = new Argument<string>("workload") { Description = "The LocalWorkload whose environment to use" };
        var commandLine = new Argument<string[]>("command") { Description = "The command and its arguments (put -- before it)", Arity = ArgumentArity.OneOrMore };
        var replica = new Option<int>("--replica") { Description = "Which replica (0-based)", DefaultValueFactory = _ => 0 };
        var ns = new Option<string?>("--namespace", "-n") { Description = "The workload's namespace, when its name is not unique" };
        var runDirectory = CommonOptions.RunDirectory();
        var command = new Command("exec", "Run a command in a workload's context: its environment and its sidecar as HTTP proxy")
        {
            workload, commandLine, replica, ns, runDirectory,
        };
        command.SetAction(parseResult => Run(
            RunDirectory.Resolve(parseResult.GetValue(runDirectory)),
            parseResult.GetRequiredValue(workload),
            parseResult.GetValue(ns),
            parseResult.GetValue(replica),
            parseResult.GetRequiredValue(commandLine),
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(RunDirectory runDirectory, string workload, string? ns, int replica, IReadOnlyList<string> commandLine, TextWriter error)
    {
        var state = runDirectory.TryReadRunning(out string problem);
        if (state is null)
        {
            error.WriteLine($"heddle exec: {problem}");
            return 1;
        }

        var pod = FindPod(state, workload, ns, replica, out problem);
        if (pod is null)
        {
            error.WriteLine($"heddle exec: {problem}");
            return 1;
        }

        var info = new ProcessStartInfo { UseShellExecute = false };
        foreach (var (name, value) in pod.Env)
        {
            info.Environment[name] = value;
        }

        info.Environment.TryGetValue("PATH", out string? path);
        string? program = Executables.Resolve(commandLine[0], Environment.CurrentDirectory, path);
        if (program is null)
        {
            error.WriteLine($"heddle exec: {commandLine[0]}: command not found");
            return 127;
        }

        info.FileName = program;
        for (int i = 1; i < commandLine.Count; i++)
        {
            info.ArgumentList.Add(commandLine[i]);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception e)
        {
            error.WriteLine($"heddle exec: {commandLine[0]}: {e.Message}");
            return 126;
        }

        using (process)
        {
            // The terminal delivers Ctrl-C to the command as well (it shares our process group): let the command
            // decide, and pass on what the terminal does not deliver to it.
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
            using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, context => context.Cancel = true);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                Native.SignalProcess(process.Id, Native.SigTerm);
            });
            process.WaitForExit();
            return process.ExitCode;
        }
    }

    /// <summary>The replica of <paramref name="workload"/> in the mesh, or null with the reason.</summary>
    public static PodState? FindPod(MeshState state, string workload, string? ns, int replica, out string problem)
    {
        var candidates = state.Pods.Where(p => p.Workload == workload && (ns is null || p.Namespace == ns)).ToList();
        if (candidates.Count == 0)
        {
            var known = state.Pods.Select(p => p.Workload).Distinct(StringComparer.Ordinal);
            problem = $"no workload '{workload}'{(ns is null ? "" : $" in namespace {ns}")} in the mesh; it runs: {string.Join(", ", known)}";
            return null;
        }

        if (candidates.Select(p => p.Namespace).Distinct(StringComparer.Ordinal).Skip(1).Any())
        {
            problem = $"workload '{workload}' exists in several namespaces; pick one with --namespace";
            return null;
        }

        var pod = candidates.FirstOrDefault(p => p.Replica == replica);
        if (pod is null)
        {
            problem = $"workload '{workload}' has replicas 0..{candidates.Max(p => p.Replica)}, not {replica}";
            return null;
        }

        problem = "";
        return pod;
    }
}
