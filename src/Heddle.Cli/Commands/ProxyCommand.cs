using System.CommandLine;
using System.Diagnostics;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle proxy ARGS…</c>: runs the proxy executable with the same arguments, so that users need one binary.
/// The arguments belong to the proxy (including <c>--help</c>), so <see cref="Program"/> hands them over before parsing.
/// </summary>
internal static class ProxyCommand
{
    public const string Name = "proxy";

    /// <summary>The entry in the command tree, for help; the real work is <see cref="Run"/>.</summary>
    public static Command Create()
    {
        var arguments = new Argument<string[]>("args") { Description = "Arguments of heddle-proxy", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command(Name, "Run the sidecar proxy (heddle-proxy) with these arguments") { arguments };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parseResult => Run([.. parseResult.GetValue(arguments) ?? [], .. parseResult.UnmatchedTokens]));
        return command;
    }

    /// <summary>Replaces this process with the proxy; if that is not possible, runs it as a child and passes its exit code on.</summary>
    public static int Run(IReadOnlyList<string> arguments)
    {
        var proxy = Executables.Proxy(AppContext.BaseDirectory);
        if (proxy is null)
        {
            Console.Error.WriteLine($"heddle: cannot find heddle-proxy; build the repository (./heddle does) or set ${Executables.ProxyEnvironmentVariable}");
            return 127;
        }

        var argv = proxy.With(arguments);
        var environment = Native.EnvironmentOf(Environment.GetEnvironmentVariables());

        foreach (var (name, value) in Executables.RuntimeEnvironment())
        {
            environment[name] = value ?? "";
        }

        Console.Out.Flush();
        Console.Error.Flush();
        if (!OperatingSystem.IsWindows())
        {
            Native.Exec(proxy.FileName, argv, environment);
        }

        var info = new ProcessStartInfo(proxy.FileName, argv) { UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
