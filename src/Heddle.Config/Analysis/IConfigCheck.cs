namespace Heddle.Config.Analysis;

/// <summary>One cross-reference check over a whole configuration.</summary>
internal interface IConfigCheck
{
    void Check(AnalysisContext context);
}
