using Bot.Core.Knowledge;

namespace Bot.Core.Tests.Content;

/// <summary>The complete example file in the README's authoring guide must stay valid and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public async Task ReadmeExample_LoadsBesideTheCourse_AndItsExampleAndQuizAreTrue()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("````markdown\n", StringComparison.Ordinal) + "````markdown\n".Length;
        var end = readme.IndexOf("\n````", start, StringComparison.Ordinal);
        Assert.True(start > "````markdown\n".Length && end > start, "README has no ````markdown example block");
        var example = new ContentFile("README.md#example", "python", "assertions", readme[start..end]);
        var course = Directory.EnumerateFiles(Path.Combine(RepoPaths.Content, "python"), "*.md")
            .Where(path => !path.EndsWith("README.md", StringComparison.Ordinal))
            .Select(path => new ContentFile(path, "python", Path.GetFileNameWithoutExtension(path), File.ReadAllText(path)));

        var result = KnowledgeBaseLoader.Load([.. course, example]);

        Assert.Empty(result.Errors);
        var concept = result.KnowledgeBase!.FindById("assertions")!;
        Assert.NotEmpty(concept.Examples);
        var results = await (await Python3.RunnerAsync()).RunAllAsync(concept.Examples, CancellationToken.None);
        Assert.All(results, result => Assert.True(result.Status == ExampleStatus.Passed, result.Describe()));

        Assert.Equal(2, concept.QuestionCount);
        foreach (var question in concept.Questions.Where(question => question.IsOutputQuestion))
        {
            await QuizContentTests.AssertMarkedAnswerIsRealAsync(question, $"README example question at line {question.Line}");
        }
    }
}
