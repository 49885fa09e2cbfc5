namespace Heddle.Cli.Tests;

/// <summary>Where the repository and its build output are, found from this test assembly's own location (artifacts/bin/&lt;project&gt;/&lt;config&gt;/).</summary>
internal static class Repository
{
    private static readonly DirectoryInfo Output = new(AppContext.BaseDirectory);

    /// <summary>The build configuration folder name, e.g. <c>debug</c> or <c>release</c>.</summary>
    public static string Configuration => Output.Name;

    public static string Root
    {
        get
        {
            for (var directory = Output; directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Heddle.slnx")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"no Heddle.slnx above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The CLI as built alongside these tests: <c>artifacts/bin/Heddle.Cli/&lt;config&gt;/heddle.dll</c>.</summary>
    public static string Cli => Path.Combine(Output.Parent!.Parent!.FullName, "Heddle.Cli", Configuration, "heddle.dll");
}
