using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>
/// Each HTTP route does exactly one thing: forward (route), redirect, answer directly, or delegate;
/// rewrite does not combine with redirect, and mirror not with mirrors.
/// </summary>
internal sealed class HttpRouteActionRule : ResourceRule<VirtualService>
{
    protected override void Check(VirtualService resource, RuleContext context)
    {
        for (int i = 0; i < resource.Spec.Http.Length; i++)
        {
            var route = resource.Spec.Http[i];
            string path = $"spec.http[{i}]";
            var actions = new List<string>(4);
            if (!route.Route.IsEmpty)
            {
                actions.Add("route");
            }
            if (route.Redirect is not null)
            {
                actions.Add("redirect");
            }
            if (route.DirectResponse is not null)
            {
                actions.Add("directResponse");
            }
            if (route.Delegate is not null)
            {
                actions.Add("delegate");
            }
            if (actions.Count == 0)
            {
                context.Error(resource, path, "an HTTP route needs one of route, redirect, directResponse or delegate");
            }
            else if (actions.Count > 1)
            {
                context.Error(resource, $"{path}.{actions[1]}", $"{actions[0]} and {actions[1]} cannot be used together in one HTTP route");
            }
            if (route.Delegate is { Name: null or "" })
            {
                context.Error(resource, $"{path}.delegate.name", "required field is missing");
            }
            if (route.Rewrite is not null && route.Redirect is not null)
            {
                context.Error(resource, $"{path}.rewrite", "rewrite cannot be used together with redirect");
            }
            if (route.Mirror is not null && !route.Mirrors.IsEmpty)
            {
                context.Error(resource, $"{path}.mirrors", "mirror and mirrors cannot be used together; move mirror into mirrors");
            }
            if (route.Retries is { Attempts: < 0 } retries)
            {
                context.Error(resource, $"{path}.retries.attempts", $"must not be negative, got {retries.Attempts}");
            }
        }
    }
}
