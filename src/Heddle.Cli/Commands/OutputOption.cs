using System.CommandLine;

namespace Heddle.Cli.Commands;

/// <summary><c>-o table|json</c>: tables for people, JSON for scripts.</summary>
internal static class OutputOption
{
    public const string Table = "table";
    public const string Json = "json";

    public static Option<string> Create()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: table (for people) or json (for scripts)",
            DefaultValueFactory = _ => Table,
            HelpName = "FORMAT",
        };
        option.AcceptOnlyFromAmong(Table, Json);
        return option;
    }
}
