using Ispo.Models.Chat;

namespace Ispo.Models.Tests.Chat;

public class PromptTemplateTests
{
    [Fact]
    public void FillsTheProblemSlotAndLeavesLatexBracesAlone()
    {
        Assert.Equal("Solve x+1=2.\nPlease reason step by step, and put your final answer within \\boxed{}.",
            PromptTemplate.Boxed.Render("Solve x+1=2."));
        Assert.Equal("Q: {a}{problem} \\frac{1}{2}", new PromptTemplate("Q: {a}{problem} \\frac{1}{2}").Render("{problem}"));
    }

    [Fact]
    public void FillsOtherNamedSlots()
    {
        var template = new PromptTemplate("{problem} Answer in {unit}.");
        Assert.Equal("2+2? Answer in cm.", template.Render(new Dictionary<string, string> { ["problem"] = "2+2?", ["unit"] = "cm" }));
    }

    [Fact]
    public void ParsesNamesOrTextsWithASlot()
    {
        Assert.Same(PromptTemplate.Plain, PromptTemplate.Parse("plain"));
        Assert.Equal("Problem: {problem}", PromptTemplate.Parse("Problem: {problem}").Text);
        var e = Assert.Throws<ArgumentException>(() => PromptTemplate.Parse("no slot here"));
        Assert.Contains("{problem}", e.Message);
    }
}
