namespace Heddle.Config.Tests;

public class ConfigAnalyzerTests
{
    [Fact]
    public void Analyze_Bookinfo_HasNoErrorsAndWarnsAboutSubsetsWithoutWorkloads()
    {
        var config = ConfigLoader.LoadDirectory(TestData.Path("bookinfo")).Config;

        var diagnostics = ConfigAnalyzer.Analyze(config);

        DiagnosticAssert.NoErrors(diagnostics);
        DiagnosticAssert.Contains("destination-rule-all.yaml:41 spec.subsets[1].labels: warning: subset \"v2\" (version=v2) matches none of the workloads of ratings.default.svc.cluster.local", diagnostics);
    }

    [Fact]
    public void Analyze_Httpbin_HasNoProblems()
    {
        var config = ConfigLoader.LoadDirectory(TestData.Path("httpbin")).Config;

        DiagnosticAssert.None(ConfigAnalyzer.Analyze(config));
    }

    [Fact]
    public void Analyze_EmptyConfig_HasNoProblems()
    {
        DiagnosticAssert.None(ConfigAnalyzer.Analyze(Heddle.Config.Model.ConfigSet.Empty));
    }
}
