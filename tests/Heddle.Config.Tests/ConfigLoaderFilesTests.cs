namespace Heddle.Config.Tests;

public sealed class ConfigLoaderFilesTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("heddle-config-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void LoadDirectory_NestedFiles_AreNamedRelativeAndLoadedInOrdinalOrder()
    {
        Write("b.yaml", Service("second"));
        Write("a/z.yml", Service("first"));
        Write("notes.txt", "not yaml");

        var result = ConfigLoader.LoadDirectory(directory);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Equal(["first", "second"], result.Config.Services.Select(s => s.Metadata.Name));
        Assert.Equal("a/z.yml", result.Config.Services[0].Source.File);
    }

    [Fact]
    public void LoadDirectory_Missing_IsAnError()
    {
        var result = ConfigLoader.LoadDirectory(Path.Combine(directory, "absent"));

        Assert.True(result.HasErrors);
        Assert.Equal("directory not found", Assert.Single(result.Diagnostics).Message);
    }

    [Fact]
    public void LoadFiles_MissingFile_IsAnErrorAndOtherFilesLoad()
    {
        string good = Write("good.yaml", Service("reviews"));
        string missing = Path.Combine(directory, "missing.yaml");

        var result = ConfigLoader.LoadFiles([missing, good]);

        Assert.True(result.HasErrors);
        Assert.Equal(missing, result.Diagnostics[0].File);
        Assert.Single(result.Config.Services);
    }

    [Fact]
    public void LoadDirectory_DuplicateResourceAcrossFiles_KeepsTheFirstAndReportsTheSecond()
    {
        Write("a.yaml", Service("reviews"));
        Write("b.yaml", Service("reviews"));

        var result = ConfigLoader.LoadDirectory(directory);

        DiagnosticAssert.Contains("b.yaml:4 metadata.name: Service default/reviews is already defined at a.yaml:1", result.Diagnostics);
        Assert.Equal("a.yaml", Assert.Single(result.Config.Services).Source.File);
    }

    [Fact]
    public void LoadDirectory_LocalWorkingDir_ResolvesAgainstTheFilesDirectory()
    {
        Write("apps/web.yaml", """
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: web}
            spec:
              command: [python3]
              workingDir: ./v1
            """);

        var workload = Assert.Single(ConfigLoader.LoadDirectory(directory).Config.LocalWorkloads);

        Assert.Equal(Path.Combine(directory, "apps", "v1"), workload.ResolveWorkingDirectory());
    }

    private string Write(string relativePath, string text)
    {
        string path = Path.Combine(directory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Service(string name) => $$"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {{name}}
        spec:
          ports: [{port: 9080}]
        """;
}
