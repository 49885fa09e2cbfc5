using Heddle.Config.Model;

namespace Heddle.Config.Tests.Model;

public class LocalWorkloadTests
{
    [Fact]
    public void ResolveWorkingDirectory_RelativeDir_IsUnderTheFilesDirectory()
    {
        var workload = new LocalWorkload
        {
            Source = new SourceLocation("apps/web.yaml", 1) { Directory = "/srv/mesh/apps" },
            Spec = new LocalWorkloadSpec { Command = ["python3"], WorkingDir = "./v1" },
        };

        Assert.Equal("/srv/mesh/apps/v1", workload.ResolveWorkingDirectory());
    }

    [Fact]
    public void ResolveWorkingDirectory_Absent_IsTheFilesDirectory()
    {
        var workload = new LocalWorkload { Source = new SourceLocation("web.yaml", 1) { Directory = "/srv/mesh" } };

        Assert.Equal("/srv/mesh", workload.ResolveWorkingDirectory());
    }

    [Fact]
    public void ResolveWorkingDirectory_Absolute_IsKept()
    {
        var workload = new LocalWorkload
        {
            Source = new SourceLocation("web.yaml", 1) { Directory = "/srv/mesh" },
            Spec = new LocalWorkloadSpec { WorkingDir = "/opt/web" },
        };

        Assert.Equal("/opt/web", workload.ResolveWorkingDirectory());
    }

    [Fact]
    public void NewResource_BuiltInCode_HasKindApiVersionAndDefaults()
    {
        var workload = new LocalWorkload { Metadata = new ObjectMeta { Name = "web" } };

        Assert.Equal("LocalWorkload", workload.Kind);
        Assert.Equal("heddle.dev/v1alpha1", workload.ApiVersion);
        Assert.Equal("default", workload.Metadata.Namespace);
        Assert.Equal(1, workload.Spec.Replicas);
        Assert.Equal("LocalWorkload default/web", workload.DisplayName);
    }
}
