using Heddle.Config.Model;

namespace Heddle.Config.Tests;

public class ServiceCatalogTests
{
    private static readonly ConfigSet Config = ConfigLoader.LoadText("""
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          ports: [{name: http, port: 9080, appProtocol: http}]
          selector: {app: reviews}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: external}
        spec:
          hosts: [api.example.com, "*.example.org"]
          ports: [{number: 443, name: https, protocol: TLS}]
          resolution: DNS
          endpoints: [{address: api.example.com}]
        ---
        apiVersion: heddle.dev/v1alpha1
        kind: LocalWorkload
        metadata: {name: reviews-v1, namespace: bookinfo, labels: {app: reviews, version: v1}}
        spec: {command: [python3]}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: bookinfo}
        spec: {host: reviews}
        """, "catalog.yaml").Config;

    [Fact]
    public void Resolve_ShortNameInServiceNamespace_FindsTheKubernetesService()
    {
        var service = ServiceCatalog.Build(Config).Resolve("reviews", "bookinfo");

        Assert.NotNull(service);
        Assert.Equal("reviews.bookinfo.svc.cluster.local", service.Hostname);
        Assert.Equal(new CatalogPort(9080, "http", "http"), Assert.Single(service.Ports));
        Assert.IsType<KubernetesService>(service.Definition);
    }

    [Fact]
    public void Resolve_ServiceDotNamespaceFromElsewhere_FindsTheKubernetesService()
    {
        Assert.Equal("reviews.bookinfo.svc.cluster.local", ServiceCatalog.Build(Config).Resolve("reviews.bookinfo", "default")?.Hostname);
    }

    [Fact]
    public void Resolve_ServiceEntryHosts_ExactBeforeWildcard()
    {
        var catalog = ServiceCatalog.Build(Config);

        Assert.Equal("api.example.com", catalog.Resolve("api.example.com", "default")?.Hostname);
        Assert.Equal("*.example.org", catalog.Resolve("www.example.org", "default")?.Hostname);
        Assert.Null(catalog.Resolve("www.example.net", "default"));
    }

    [Fact]
    public void DestinationRulesFor_RuleWithShortHost_AppliesToTheQualifiedService()
    {
        var rule = Assert.Single(ServiceCatalog.Build(Config).DestinationRulesFor("reviews.bookinfo.svc.cluster.local"));

        Assert.Equal("reviews", rule.Metadata.Name);
    }

    [Fact]
    public void WorkloadsSelectedBy_Selector_MatchesLabelsInTheSameNamespaceOnly()
    {
        var catalog = ServiceCatalog.Build(Config);
        var selector = Config.Services[0].Spec.Selector;

        Assert.Single(catalog.WorkloadsSelectedBy(selector, "bookinfo"));
        Assert.Empty(catalog.WorkloadsSelectedBy(selector, "default"));
    }
}
