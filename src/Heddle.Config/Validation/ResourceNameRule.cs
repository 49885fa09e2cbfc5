using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>Names and namespaces follow Kubernetes syntax: DNS-1123 names, DNS-1035 for Services, DNS-1123 labels for namespaces and workloads.</summary>
internal sealed class ResourceNameRule : IResourceRule
{
    public void Check(Resource resource, RuleContext context)
    {
        string name = resource.Metadata.Name;
        switch (resource)
        {
            case KubernetesService when !Names.IsDns1035Label(name):
                context.Error(resource, "metadata.name", $"a Service name must be a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters), got \"{name}\"");
                break;
            case LocalWorkload when !Names.IsDns1123Label(name):
                context.Error(resource, "metadata.name", $"a LocalWorkload name must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters), got \"{name}\"");
                break;
            case not (KubernetesService or LocalWorkload) when !Names.IsDns1123Subdomain(name):
                context.Error(resource, "metadata.name", $"must be a DNS-1123 name (lower-case letters, digits, '-' and '.', at most 253 characters), got \"{name}\"");
                break;
        }
        if (!Names.IsDns1123Label(resource.Metadata.Namespace))
        {
            context.Error(resource, "metadata.namespace", $"must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters), got \"{resource.Metadata.Namespace}\"");
        }
    }
}
