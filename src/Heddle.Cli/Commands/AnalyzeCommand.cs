using System.CommandLine;
using Heddle.Config;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle analyze DIR</c>: prints every problem of a configuration directory — the loader's (syntax, unknown
/// fields, invalid values) and the analyzer's (references to hosts, subsets and ports that do not exist) — and
/// exits 1 when any of them is an error.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("dir") { Description = "A directory of YAML files (*.yaml, *.yml, recursively)" };
        var command = new Command("analyze", "Print every problem in a configuration directory; exit 1 on errors") { directory };
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(directory),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(string directory, TextWriter output, TextWriter error)
    {
        if (!Directory.Exists(directory))
        {
            error.WriteLine($"heddle analyze: {directory}: no such directory");
            return 1;
        }

        var check = ConfigCheck.Run(ConfigLoader.LoadDirectory(directory));
        if (check.Problems.Length == 0)
        {
            output.WriteLine("no problems");
            return 0;
        }

        check.WriteProblems(output);
        return check.HasErrors ? 1 : 0;
    }
}
