using Heddle.Config.Model;

namespace Heddle.Config.Tests.Model;

public class FieldPathTests
{
    [Theory]
    [InlineData("spec.http[0].route[1].weight", "spec.http[0].route[1]")]
    [InlineData("spec.http[0].route[1]", "spec.http[0].route")]
    [InlineData("metadata.labels[\"app.kubernetes.io/name\"]", "metadata.labels")]
    [InlineData("spec", "")]
    public void Parent_Path_DropsTheLastSegment(string path, string expected)
    {
        Assert.Equal(expected, FieldPath.Parent(path));
    }

    [Theory]
    [InlineData("end-user", "headers.end-user")]
    [InlineData("app.kubernetes.io/name", "headers[\"app.kubernetes.io/name\"]")]
    public void Key_MapEntry_QuotesKeysThatAreNotWords(string key, string expected)
    {
        Assert.Equal(expected, FieldPath.Key("headers", key));
    }

    [Fact]
    public void LineOf_UnrecordedPath_FallsBackToTheNearestAncestor()
    {
        var source = new SourceLocation("a.yaml", 1)
        {
            FieldLines = ImmutableDictionary<string, int>.Empty.Add("spec", 5).Add("spec.http[0]", 9),
        };

        Assert.Equal(9, source.LineOf("spec.http[0].route[2].weight"));
        Assert.Equal(5, source.LineOf("spec.tcp"));
        Assert.Equal(1, source.LineOf("status"));
    }
}
