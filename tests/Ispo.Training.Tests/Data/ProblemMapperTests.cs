using System.Text.Json.Nodes;
using Ispo.Training.Data;
using Ispo.Training.Prompts;

namespace Ispo.Training.Tests.Data;

public class ProblemMapperTests
{
    static MathProblem Map(string json, FieldMapping? mapping = null) =>
        ProblemMapper.Map(new DatasetRow(JsonNode.Parse(json)!.AsObject(), "f.jsonl:7"), mapping ?? FieldMapping.Default, 0);

    [Fact]
    public void Problem_fields_are_tried_in_order()
    {
        Assert.Equal("Q", Map("""{"question": "Q", "prompt": "P", "answer": "1"}""").Problem);
        Assert.Equal("P", Map("""{"prompt": "P", "answer": "1"}""").Problem);
    }

    [Fact]
    public void Answer_falls_back_to_the_last_boxed_of_the_solution()
    {
        var problem = Map("""{"problem": "p", "solution": "so \\boxed{1} then \\boxed{\\frac{a}{b}}."}""");
        Assert.Equal("\\frac{a}{b}", problem.Answer);
    }

    [Fact]
    public void Dapo_rows_unwrap_the_prompt_and_read_the_ground_truth()
    {
        string prompt = PromptTemplates.Dapo.Render("What is 2+2?").UserText;
        var row = new JsonObject
        {
            ["prompt"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
            ["reward_model"] = new JsonObject { ["ground_truth"] = "4", ["style"] = "rule" },
            ["extra_info"] = new JsonObject { ["index"] = "abc" },
        };

        MathProblem problem = ProblemMapper.Map(new DatasetRow(row, "x"), DatasetRegistry.Get("dapo-math-17k").Mapping, 0);

        Assert.Equal(("What is 2+2?", "4", "abc"), (problem.Problem, problem.Answer, problem.Id));
    }

    [Fact]
    public void A_missing_problem_field_names_the_row_and_the_fields()
    {
        var error = Assert.Throws<DatasetFormatException>(() => Map("""{"text": "x", "answer": "1"}"""));
        Assert.Contains("f.jsonl:7", error.Message);
        Assert.Contains("problem, question, prompt", error.Message);
    }

    [Fact]
    public void A_missing_answer_names_the_rules_tried()
    {
        var error = Assert.Throws<DatasetFormatException>(() => Map("""{"problem": "x"}"""));
        Assert.Contains("f.jsonl:7", error.Message);
        Assert.Contains("final_answer", error.Message);
    }

    [Fact]
    public void A_gsm8k_answer_without_marker_is_an_error()
    {
        var mapping = new FieldMapping { AnswerRules = [new(AnswerSource.Gsm8k, "answer")] };
        var error = Assert.Throws<DatasetFormatException>(() => Map("""{"question": "x", "answer": "no marker"}""", mapping));
        Assert.Contains("####", error.Message);
    }

    [Fact]
    public void Floats_and_lists_become_answer_text()
    {
        Assert.Equal("27", Map("""{"problem": "p", "answer": 27.0}""").Answer);
        Assert.Equal("2.5", Map("""{"problem": "p", "answer": 2.5}""").Answer);
        Assert.Equal("1, \\$5", Map("""{"problem": "p", "final_answer": ["$1$", "\\$5"]}""").Answer);
    }
}
