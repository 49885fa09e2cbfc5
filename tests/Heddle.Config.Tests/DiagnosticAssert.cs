namespace Heddle.Config.Tests;

/// <summary>Assertions that show every diagnostic when they fail.</summary>
internal static class DiagnosticAssert
{
    public static void Contains(string expected, IEnumerable<Diagnostic> diagnostics)
    {
        var all = diagnostics.Select(d => d.ToString()).ToList();
        Assert.True(all.Contains(expected), $"expected diagnostic:\n  {expected}\nactual:\n  {string.Join("\n  ", all)}");
    }

    public static void None(IEnumerable<Diagnostic> diagnostics)
    {
        var all = diagnostics.Select(d => d.ToString()).ToList();
        Assert.True(all.Count == 0, $"expected no diagnostics, got:\n  {string.Join("\n  ", all)}");
    }

    public static void NoErrors(IEnumerable<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, $"expected no errors, got:\n  {string.Join("\n  ", errors)}");
    }
}
