using Heddle.Cli.Commands;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.Commands;

public sealed class ApplyCommandTests : IDisposable
{
    private readonly ConfigFiles _mesh = new();
    private readonly ConfigFiles _incoming = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public ApplyCommandTests()
    {
        _mesh.Write("service.yaml", ConfigFiles.Service);
        _mesh.Write("workloads.yaml", ConfigFiles.Workload);
    }

    public void Dispose()
    {
        _mesh.Dispose();
        _incoming.Dispose();
    }

    [Fact]
    public void Apply_ValidNewFile_CopiedUnderItsNameAndResourcesListed()
    {
        string file = _incoming.Write("routing.yaml", ConfigFiles.Subsets + "\n---\n" + ConfigFiles.AllToV1);

        Assert.Equal(0, ApplyCommand.Apply(_mesh.Directory, file, _output, _error));

        Assert.Equal(File.ReadAllText(file), File.ReadAllText(Path.Combine(_mesh.Directory, "routing.yaml")));
        Assert.Contains("DestinationRule default/web created", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("VirtualService default/web created", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_FileWithErrors_RefusedWithTheAnalyzersMessagesAndNothingWritten()
    {
        _mesh.Write("routing.yaml", ConfigFiles.Subsets + "\n---\n" + ConfigFiles.AllToV1);
        string before = File.ReadAllText(Path.Combine(_mesh.Directory, "routing.yaml"));
        string file = _incoming.Write("routing.yaml", ConfigFiles.Subsets + "\n---\n" + ConfigFiles.WeightsNot100);

        Assert.Equal(1, ApplyCommand.Apply(_mesh.Directory, file, _output, _error));

        Assert.Equal(before, File.ReadAllText(Path.Combine(_mesh.Directory, "routing.yaml")));
        Assert.Contains("spec.http[0].route", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("nothing changed", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(["routing.yaml", "service.yaml", "workloads.yaml"], Directory.GetFiles(_mesh.Directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Apply_ReferenceToSubsetTheMeshLacks_Refused()
    {
        string file = _incoming.Write("routes.yaml", ConfigFiles.AllToV1.Replace("subset: v1", "subset: v9", StringComparison.Ordinal) + "\n---\n" + ConfigFiles.Subsets);

        Assert.Equal(1, ApplyCommand.Apply(_mesh.Directory, file, _output, _error));

        Assert.False(File.Exists(Path.Combine(_mesh.Directory, "routes.yaml")));
    }

    [Fact]
    public void Apply_ReplacesFileOfTheSameName_ConfiguredAndDeletedReported()
    {
        _mesh.Write("routing.yaml", ConfigFiles.Subsets + "\n---\n" + ConfigFiles.AllToV1.Replace("name: web", "name: old", StringComparison.Ordinal));
        string file = _incoming.Write("routing.yaml", ConfigFiles.Subsets + "\n---\n" + ConfigFiles.AllToV1);

        Assert.Equal(0, ApplyCommand.Apply(_mesh.Directory, file, _output, _error));

        Assert.Contains("DestinationRule default/web configured", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("VirtualService default/web created", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("VirtualService default/old deleted", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SameContentAgain_Unchanged()
    {
        string file = _incoming.Write("routing.yaml", ConfigFiles.Subsets);
        Assert.Equal(0, ApplyCommand.Apply(_mesh.Directory, file, _output, _error));

        Assert.Equal(0, ApplyCommand.Apply(_mesh.Directory, file, _output, _error));

        Assert.Contains("DestinationRule default/web unchanged", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ResourceDefinedInAnotherFile_RefusedWithHintToUseThatName()
    {
        _mesh.Write("routing.yaml", ConfigFiles.Subsets);
        string file = _incoming.Write("subsets.yaml", ConfigFiles.Subsets);

        Assert.Equal(1, ApplyCommand.Apply(_mesh.Directory, file, _output, _error));

        Assert.Contains("hint: DestinationRule default/web is defined in routing.yaml", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_mesh.Directory, "subsets.yaml")));
    }

    [Fact]
    public void Apply_RedefinitionWithBadWeights_ReportsTheWeightsToo()
    {
        _mesh.Write("routing.yaml", ConfigFiles.Subsets + "\n---\n" + ConfigFiles.AllToV1);
        string file = _incoming.Write("bad-weights.yaml", ConfigFiles.WeightsNot100);

        Assert.Equal(1, ApplyCommand.Apply(_mesh.Directory, file, _output, _error));

        Assert.Contains("bad-weights.yaml:", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("100", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_mesh.Directory, "bad-weights.yaml")));
    }

    [Fact]
    public void Apply_NotAYamlFile_Refused()
    {
        string file = _incoming.Write("routing.txt", ConfigFiles.Subsets);

        Assert.Equal(1, ApplyCommand.Apply(_mesh.Directory, file, _output, _error));

        Assert.Contains("*.yaml", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoRunningMesh_RefusedWithHowToStartOne()
    {
        string file = _incoming.Write("routing.yaml", ConfigFiles.Subsets);
        var runDirectory = new RunDirectory(Path.Combine(_incoming.Directory, "run"));

        Assert.Equal(1, ApplyCommand.Run(runDirectory, file, _output, _error));

        Assert.Contains("heddle up", _error.ToString(), StringComparison.Ordinal);
    }
}
