using Bot.Core.Knowledge;

namespace Bot.Core.Tests.Knowledge;

public class QuizSectionParserTests
{
    private const string Header = "---\ntitle: Lists\nsummary: Ordered and mutable.\n---\nA list holds items.\n\n## Example\n\nSome text.\n\n";

    private const string OutputQuestion = """
        ### What does this print?

        ```python
        print([1] * 2)
        ```

        - [ ] `[2]`
        - [x] `[1, 1]`
        - [ ] `TypeError`

        > Repeating a list concatenates copies of it.
        > `[2]` would be arithmetic on the item.

        Difficulty: easy

        """;

    private const string ConceptQuestion = """
        ### Which statement is true?

        Think about *identity*.

        - [x] Lists are mutable.
        - [ ] Lists are hashable.
        - [ ] Lists hold one type only.
        - [ ] Lists are immutable.

        > You can change a list in place; that is also why it is unhashable.

        Difficulty: Medium
        """;

    [Fact]
    public void Parse_QuizSection_ReadsEveryPartAndLeavesItOutOfTheBody()
    {
        var concept = LoadOne(Header + "## Quiz\n\n" + OutputQuestion + ConceptQuestion + "\n\n## See also\n\n- Tuples.\n");

        Assert.Equal(2, concept.QuestionCount);
        var output = concept.Questions[0];
        Assert.Equal("What does this print?", output.Question);
        Assert.Equal("```python\nprint([1] * 2)\n```", output.Prompt);
        Assert.Equal(["`[2]`", "`[1, 1]`", "`TypeError`"], output.Choices);
        Assert.Equal(1, output.CorrectIndex);
        Assert.Equal("Repeating a list concatenates copies of it.\n`[2]` would be arithmetic on the item.", output.Explanation);
        Assert.Equal(QuizDifficulty.Easy, output.Difficulty);
        Assert.Equal("print([1] * 2)", output.Code);
        Assert.Equal(13, output.Line);
        Assert.Matches("^a:[0-9a-f]{10}$", output.Id);

        var conceptual = concept.Questions[1];
        Assert.Equal("Think about *identity*.", conceptual.Prompt);
        Assert.Equal(0, conceptual.CorrectIndex);
        Assert.Equal(QuizDifficulty.Medium, conceptual.Difficulty);
        Assert.Null(conceptual.Code);

        Assert.DoesNotContain("Quiz", concept.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("[x]", concept.Body, StringComparison.Ordinal);
        Assert.EndsWith("- Tuples.", concept.Body, StringComparison.Ordinal);
        Assert.Equal(["Definition", "Example", "See also"], concept.Sections.Select(section => section.Heading));
    }

    [Fact]
    public void Parse_QuestionIds_SurviveReorderingAndChangeWithTheText()
    {
        var first = LoadOne(Header + "## Quiz\n\n" + OutputQuestion + ConceptQuestion);
        var swapped = LoadOne(Header + "## Quiz\n\n" + ConceptQuestion + "\n\n" + OutputQuestion);
        var reworded = LoadOne(Header + "## Quiz\n\n" + OutputQuestion.Replace("* 2", "* 3", StringComparison.Ordinal) + ConceptQuestion);

        Assert.Equal(first.Questions.Select(question => question.Id).Order(), swapped.Questions.Select(question => question.Id).Order());
        Assert.NotEqual(first.Questions[0].Id, reworded.Questions[0].Id);
        Assert.Equal(first.Questions[1].Id, reworded.Questions[1].Id);
    }

    [Theory]
    [InlineData("Loose text.\n\n### Q?\n\n- [x] a\n- [ ] b\n- [ ] c\n\n> Why.\n\nDifficulty: easy\n", 13, "quiz text outside a question")]
    [InlineData("### Q?\n\n- [x] a\n- [ ] b\n\n> Why.\n\nDifficulty: easy\n", 15, "2 choices; give 3 or 4")]
    [InlineData("### Q?\n\n- [x] a\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n\n> Why.\n\nDifficulty: easy\n", 15, "5 choices; give 3 or 4")]
    [InlineData("### Q?\n\n- [ ] a\n- [ ] b\n- [ ] c\n\n> Why.\n\nDifficulty: easy\n", 15, "no choice is marked right: mark exactly one with [x]")]
    [InlineData("### Q?\n\n- [x] a\n- [x] b\n- [ ] c\n\n> Why.\n\nDifficulty: easy\n", 15, "2 choices are marked right")]
    [InlineData("### Q?\n\n- [x] a\n- b\n- [ ] c\n\n> Why.\n\nDifficulty: easy\n", 16, "each choice must be one line starting with [ ] (wrong) or [x] (right)")]
    [InlineData("### Q?\n\n- [x] a\n- [ ] a\n- [ ] c\n\n> Why.\n\nDifficulty: easy\n", 16, "choice 'a' appears twice")]
    [InlineData("### Q?\n\n- [x] a\n- [ ] b\n- [ ] c\n\nDifficulty: easy\n", 15, "missing explanation")]
    [InlineData("### Q?\n\n- [x] a\n- [ ] b\n- [ ] c\n\n> Why.\n", 13, "missing difficulty: end the question with a line such as Difficulty: easy (easy, medium, hard)")]
    [InlineData("### Q?\n\n- [x] a\n- [ ] b\n- [ ] c\n\n> Why.\n\nDifficulty: tricky\n", 21, "difficulty 'tricky' is not one of: easy, medium, hard")]
    [InlineData("### Q?\n\n> Why.\n\n- [x] a\n- [ ] b\n- [ ] c\n\nDifficulty: easy\n", 15, "the > explanation comes after the choices")]
    [InlineData("### Q?\n\n- [x] a\n- [ ] b\n- [ ] c\n\n> Why.\n\nDifficulty: easy\n\nMore text.\n", 23, "unexpected text after the choices")]
    [InlineData("### Q?\n\nJust a question.\n", 13, "this question has no choices")]
    [InlineData("### What does this print?\n\n- [x] `1`\n- [ ] `2`\n- [ ] `3`\n\n> Why.\n\nDifficulty: easy\n", 13, "a \"What does this print?\" question needs exactly one ```python block")]
    [InlineData("### What does this print?\n\n```python\nprint(1)\n```\n\n- [x] `1`\n- [ ] two\n- [ ] `3`\n\n> Why.\n\nDifficulty: easy\n", 20, "every choice of a \"What does this print?\" question is the printed text in backticks")]
    [InlineData("### Q?\n\n- [x] a\n- [ ] b\n- [ ] c\n\n> Why.\n\nDifficulty: easy\n\n### Q?\n\n- [x] a\n- [ ] b\n- [ ] c\n\n> Why.\n\nDifficulty: easy\n", 23, "this question repeats an earlier one")]
    public void Parse_MistakeInAQuestion_IsReportedWithItsLine(string quiz, int line, string message)
    {
        var result = KnowledgeBaseLoader.Load([new ContentFile("course/a.md", "course", "a", Header + "## Quiz\n\n" + quiz)]);

        var error = Assert.Single(result.Errors);
        Assert.Equal(line, error.Line);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverlongChoice_NamesTheButtonLimit()
    {
        var choice = new string('x', QuizQuestion.MaxChoiceLength + 1);
        var result = KnowledgeBaseLoader.Load([new ContentFile("course/a.md", "course", "a",
            Header + $"## Quiz\n\n### Q?\n\n- [x] {choice}\n- [ ] b\n- [ ] c\n\n> Why.\n\nDifficulty: hard\n")]);

        var error = Assert.Single(result.Errors);
        Assert.Equal("course/a.md:15: this choice is 81 characters; keep choices to 80 so they fit on a button", error.ToString());
    }

    [Fact]
    public void Parse_SecondQuizSection_IsAnError()
    {
        var question = "### Q?\n\n- [x] a\n- [ ] b\n- [ ] c\n\n> Why.\n\nDifficulty: easy\n\n";
        var result = KnowledgeBaseLoader.Load([new ContentFile("course/a.md", "course", "a", Header + "## Quiz\n\n" + question + "## Quiz\n\n" + question)]);

        var error = Assert.Single(result.Errors);
        Assert.Equal("course/a.md:23: a second ## Quiz section: put every question under the first one", error.ToString());
    }

    [Theory]
    [InlineData("`[1, 2]`", "[1, 2]")]
    [InlineData("`` a`b ``", "a`b")]
    [InlineData("`a` or `b`", null)]
    [InlineData("plain", null)]
    public void CodeSpanText_ReadsOneCodeSpan(string choice, string? expected) =>
        Assert.Equal(expected, QuizSectionParser.CodeSpanText(choice));

    private static Concept LoadOne(string text)
    {
        var result = KnowledgeBaseLoader.Load([new ContentFile("course/a.md", "course", "a", text)]);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Concepts);
    }
}
