namespace Heddle.Config.Tests;

/// <summary>Paths of the YAML files under testdata/, copied next to the test assembly.</summary>
internal static class TestData
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "testdata", .. parts]);
}
