using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>One validation rule about one resource, run after its YAML was bound without errors.</summary>
internal interface IResourceRule
{
    void Check(Resource resource, RuleContext context);
}
