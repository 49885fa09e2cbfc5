namespace Heddle.Config.Tests;

public class HostNamesTests
{
    [Theory]
    [InlineData("reviews", "bookinfo", "reviews.bookinfo.svc.cluster.local")]
    [InlineData("Reviews", "bookinfo", "reviews.bookinfo.svc.cluster.local")]
    [InlineData("reviews.prod.svc", "bookinfo", "reviews.prod.svc.cluster.local")]
    [InlineData("reviews.prod.svc.cluster.local", "bookinfo", "reviews.prod.svc.cluster.local")]
    [InlineData("reviews.prod", "bookinfo", "reviews.prod")]
    [InlineData("api.example.com", "bookinfo", "api.example.com")]
    [InlineData("*.example.com", "bookinfo", "*.example.com")]
    [InlineData("*", "bookinfo", "*")]
    [InlineData("10.0.0.1", "bookinfo", "10.0.0.1")]
    public void Qualify_HostInNamespace_GivesIstiosName(string host, string ns, string expected)
    {
        Assert.Equal(expected, HostNames.Qualify(host, ns));
    }

    [Fact]
    public void Candidates_TwoLabelName_AlsoTriesTheKubernetesService()
    {
        Assert.Equal(new[] { "reviews.prod", "reviews.prod.svc.cluster.local" }, HostNames.Candidates("reviews.prod", "default").AsEnumerable());
    }

    [Fact]
    public void Candidates_ShortName_IsOnlyTheKubernetesService()
    {
        Assert.Equal(new[] { "reviews.default.svc.cluster.local" }, HostNames.Candidates("reviews", "default").AsEnumerable());
    }

    [Theory]
    [InlineData("*", "anything.example.com", true)]
    [InlineData("*.example.com", "api.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "api.example.org", false)]
    [InlineData("api.example.com", "API.example.com", true)]
    public void Matches_WildcardPatterns_MatchAsIstioDoes(string pattern, string host, bool expected)
    {
        Assert.Equal(expected, HostNames.Matches(pattern, host));
    }
}
