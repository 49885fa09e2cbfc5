namespace Heddle.EndToEnd.Tests.Support;

/// <summary>Finds the repository and the built CLI that the tests run as a real process.</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (the CLI and proxy are built alongside).</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains("/release", StringComparison.OrdinalIgnoreCase) ? "release" : "debug";

    public static string CliDll => Path.Combine(Root, "artifacts", "bin", "Heddle.Cli", Configuration, "heddle.dll");

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "testdata", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Heddle.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Heddle.slnx) was not found above " + AppContext.BaseDirectory);
    }
}
