using System.CommandLine;
using Heddle.Cli.Commands;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli;

/// <summary>The <c>heddle</c> command line: the local mesh, configuration tools, and the two servers.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The proxy's arguments are its own (its --help included): hand them over untouched.
        if (args.Length > 0 && args[0] == ProxyCommand.Name)
        {
            return ProxyCommand.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == UpCommand.Name)
        {
            QuietRuntime.Apply();
        }

        // Commands that run until stopped handle SIGINT/SIGTERM themselves, to stop their children in order.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return await CreateRootCommand().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
    }

    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Heddle: a service mesh that speaks Istio's configuration API. Start a local mesh with `heddle up DIR`.");
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(ExecCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ProxyStatusCommand.Create());
        root.Subcommands.Add(ProxyConfigCommand.Create());
        root.Subcommands.Add(ScrapeConfigCommand.Create());
        root.Subcommands.Add(ApplyCommand.Create());
        root.Subcommands.Add(AnalyzeCommand.Create());
        root.Subcommands.Add(ControlPlaneCommand.Create());
        root.Subcommands.Add(ProxyCommand.Create());
        return root;
    }
}
