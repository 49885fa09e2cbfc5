using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>A rule about resources of kind <typeparamref name="T"/>.</summary>
internal abstract class ResourceRule<T> : IResourceRule
    where T : Resource
{
    public void Check(Resource resource, RuleContext context)
    {
        if (resource is T typed)
        {
            Check(typed, context);
        }
    }

    protected abstract void Check(T resource, RuleContext context);
}
