namespace Heddle.ControlPlane.Tests.TestSupport;

/// <summary>A configuration directory under the temp folder, deleted on dispose.</summary>
internal sealed class TempConfigDirectory : IDisposable
{
    public TempConfigDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "heddle-cp-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string fileName, string yaml)
    {
        var path = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(path, yaml);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
