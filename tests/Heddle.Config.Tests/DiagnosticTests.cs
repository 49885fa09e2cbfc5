namespace Heddle.Config.Tests;

public class DiagnosticTests
{
    [Fact]
    public void ToString_Error_ReadsFileLinePathMessage()
    {
        var diagnostic = new Diagnostic(Severity.Error, "routes.yaml", 14, "spec.http[0].route[1].weight", "weights of a route must sum to 100, got 90");

        Assert.Equal("routes.yaml:14 spec.http[0].route[1].weight: weights of a route must sum to 100, got 90", diagnostic.ToString());
    }

    [Fact]
    public void ToString_WarningWithoutPathOrLine_StaysReadable()
    {
        var diagnostic = new Diagnostic(Severity.Warning, "config", 0, "", "directory is empty");

        Assert.Equal("config: warning: directory is empty", diagnostic.ToString());
    }

    [Fact]
    public void HasErrors_OnlyWarnings_IsFalse()
    {
        var result = new LoadResult(Heddle.Config.Model.ConfigSet.Empty, [new Diagnostic(Severity.Warning, "a.yaml", 1, "kind", "ignored")]);

        Assert.False(result.HasErrors);
    }
}
