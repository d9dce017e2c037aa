using Ispo.Training.Prompts;

namespace Ispo.Training.Tests.Prompts;

public class PromptTemplatesTests
{
    [Fact]
    public void Qwen_math_appends_the_boxed_instruction_for_a_chat_model()
    {
        RenderedPrompt prompt = PromptTemplates.Get("qwen-math").Render("What is 1+1?");

        Assert.Equal("What is 1+1?\nPlease reason step by step, and put your final answer within \\boxed{}.", prompt.UserText);
        Assert.True(prompt.UseChat);
        Assert.Equal(AnswerFormat.Boxed, prompt.AnswerFormat);
    }

    [Fact]
    public void Dapo_uses_the_answer_line_and_unwraps_its_own_text()
    {
        PromptTemplate dapo = PromptTemplates.Get("dapo");
        RenderedPrompt prompt = dapo.Render("P");

        Assert.StartsWith("Solve the following math problem step by step.", prompt.UserText);
        Assert.EndsWith("Remember to put your answer on its own line after \"Answer:\".", prompt.UserText);
        Assert.Equal(AnswerFormat.AnswerLine, prompt.AnswerFormat);
        Assert.Equal("P", dapo.Unwrap(prompt.UserText));
        Assert.Equal("other text", dapo.Unwrap("other text"));
    }

    [Fact]
    public void Raw_suffix_renders_without_chat_and_plain_is_the_problem()
    {
        Assert.False(PromptTemplates.Get("qwen-math-raw").Render("x").UseChat);
        Assert.Equal("x", PromptTemplates.Get("plain").Render("x").UserText);
        Assert.Throws<ArgumentException>(() => PromptTemplates.Get("fancy"));
    }

    [Fact]
    public void CustomTextWithAProblemSlotIsATemplate()
    {
        PromptTemplate t = PromptTemplates.Get("Problem: {problem}\nSolution:");
        Assert.Equal("Problem: 1+1 \\frac{1}{2}\nSolution:", t.Render("1+1 \\frac{1}{2}").UserText);
        Assert.Equal(AnswerFormat.Boxed, t.AnswerFormat);
    }

    [Fact]
    public void SyntheticPutsTheProblemOnItsOwnLineWithoutChat()
    {
        RenderedPrompt r = PromptTemplates.Get("synthetic").Render("ann has 3 pens. how many?");
        Assert.Equal(("ann has 3 pens. how many?\n", false), (r.UserText, r.UseChat));
    }
}
