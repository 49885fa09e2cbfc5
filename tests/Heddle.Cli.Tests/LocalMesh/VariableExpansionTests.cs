using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.LocalMesh;

public class VariableExpansionTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["POD_IP"] = "127.0.1.1",
        ["PORT"] = "8080",
        ["EMPTY"] = "",
    };

    [Theory]
    [InlineData("$(POD_IP)", "127.0.1.1")]
    [InlineData("--bind=$(POD_IP):$(PORT)", "--bind=127.0.1.1:8080")]
    [InlineData("x$(EMPTY)y", "xy")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void Expand_DefinedVariables_Replaced(string input, string expected) =>
        Assert.Equal(expected, VariableExpansion.Expand(input, Variables));

    [Theory]
    [InlineData("$(UNKNOWN)", "$(UNKNOWN)")]
    [InlineData("a $(UNKNOWN) $(PORT)", "a $(UNKNOWN) 8080")]
    [InlineData("$()", "$()")]
    public void Expand_UndefinedVariable_LeftAsWritten(string input, string expected) =>
        Assert.Equal(expected, VariableExpansion.Expand(input, Variables));

    [Theory]
    [InlineData("$$(POD_IP)", "$(POD_IP)")]
    [InlineData("$$$(POD_IP)", "$127.0.1.1")]
    [InlineData("$$", "$")]
    [InlineData("cost: $$5", "cost: $5")]
    public void Expand_DoubleDollar_EscapesOneDollar(string input, string expected) =>
        Assert.Equal(expected, VariableExpansion.Expand(input, Variables));

    [Theory]
    [InlineData("$(POD_IP", "$(POD_IP")]
    [InlineData("end$", "end$")]
    [InlineData("$HOME", "$HOME")]
    [InlineData("${POD_IP}", "${POD_IP}")]
    public void Expand_NotAReference_KeptLiterally(string input, string expected) =>
        Assert.Equal(expected, VariableExpansion.Expand(input, Variables));

    [Fact]
    public void Environment_LaterEntryRefersToEarlier_Expanded()
    {
        var environment = VariableExpansion.Environment(
            [new("POD_IP", "127.0.1.1")],
            [new("ADDRESS", "$(POD_IP):8080"), new("URL", "http://$(ADDRESS)/")]);

        Assert.Equal("http://127.0.1.1:8080/", environment["URL"]);
    }

    [Fact]
    public void Environment_EntryRefersToLaterOne_LeftAsWritten()
    {
        var environment = VariableExpansion.Environment([], [new("FIRST", "$(SECOND)"), new("SECOND", "2")]);

        Assert.Equal("$(SECOND)", environment["FIRST"]);
    }

    [Fact]
    public void Environment_DeclaredOverridesBase_InDefinitionOrder()
    {
        var environment = VariableExpansion.Environment([new("A", "1"), new("B", "2")], [new("A", "$(A)$(B)")]);

        Assert.Equal("12", environment["A"]);
        Assert.Equal(["A", "B"], environment.Keys);
    }
}
