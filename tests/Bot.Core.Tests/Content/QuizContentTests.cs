using Bot.Core.Knowledge;

namespace Bot.Core.Tests.Content;

/// <summary>The course's question bank: big enough, and every "What does this print?" answer true under python3.</summary>
public class QuizContentTests
{
    public static TheoryData<string> ConceptIds => [.. Course.KnowledgeBase.Concepts.Select(concept => concept.Id)];

    [Fact]
    public void QuestionBank_HasAtLeastFivePerConceptAnd125InAll()
    {
        var concepts = Course.KnowledgeBase.Concepts;

        Assert.All(concepts, concept => Assert.True(concept.QuestionCount >= 5, $"{concept.Id} has {concept.QuestionCount} questions"));
        Assert.True(concepts.Sum(concept => concept.QuestionCount) >= 125);
        Assert.All(concepts, concept => Assert.True(concept.Questions.Select(question => question.CorrectIndex).Distinct().Count() > 1,
            $"{concept.Id}: every answer is choice {concept.Questions[0].CorrectIndex + 1}; vary the position"));
    }

    [Theory]
    [MemberData(nameof(ConceptIds))]
    public async Task OutputQuestions_MarkWhatPython3ReallyPrints(string id)
    {
        var concept = Course.KnowledgeBase.FindById(id)!;
        foreach (var question in concept.Questions.Where(question => question.IsOutputQuestion))
        {
            await AssertMarkedAnswerIsRealAsync(question, $"{concept.SourcePath}:{question.Line}");
        }
    }

    /// <summary>Runs the question's program; its one line of stdout, or the name of the exception it raises, must be the marked choice and no other.</summary>
    internal static async Task AssertMarkedAnswerIsRealAsync(QuizQuestion question, string where, PythonExampleRunner? runner = null)
    {
        runner ??= await Python3.RunnerAsync();
        where = $"{where} (under {runner.Interpreter.Command} {runner.Interpreter.Version})";
        var (exitCode, stdout, stderr, _) = await runner.RunCodeAsync(question.Code!, startMethod: null, CancellationToken.None);
        string actual;
        if (exitCode == 0)
        {
            actual = stdout.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
            Assert.False(actual.Contains('\n', StringComparison.Ordinal), $"{where}: the program prints several lines; print one:\n{actual}");
        }
        else
        {
            Assert.True(stdout.Length == 0, $"{where}: the program prints before raising; a question about an error must print nothing:\n{stdout}");
            actual = stderr.TrimEnd().Split('\n')[^1].Split(':')[0];
        }

        var choices = question.Choices.Select(QuizSectionParser.CodeSpanText).ToList();
        Assert.True(choices[question.CorrectIndex] == actual, $"{where}: marked {question.CorrectChoice}, but python3 gives `{actual}`");
        Assert.Single(choices, choice => choice == actual);
    }
}
