using Bot.Core.Help;
using Bot.Core.Explain;
using Bot.Core.Replies;
using Bot.Core.Rendering;
using Bot.Core.Search;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Bot.Core.Tests.Explain;

public class ExplainHandlerTests
{
    private readonly ExplainHandler _handler = new(Course.Source);

    [Fact]
    public async Task HandleAsync_KnownConcept_RepliesWithItsContentAndRelatedActions()
    {
        var concept = Course.KnowledgeBase.FindById("closures")!;

        var result = await _handler.HandleAsync(new ExplainRequest("closures"), CancellationToken.None);

        Assert.Equal(new ConceptShown("closures", concept.Title, null, MatchKind.Exact), result.Outcome);
        Assert.Equal(concept.Title, result.Reply.Title);
        Assert.Equal(concept.Summary, result.Reply.Summary);
        Assert.Equal(concept.Body, result.Reply.Body);
        Assert.Equal(concept.Related.Select(id => "explain:" + id), result.Reply.Actions.Select(action => action.Id));
        Assert.All(result.Reply.Actions, action => Assert.Equal(Course.KnowledgeBase.FindById(action.Id["explain:".Length..])!.Title, action.Label));
    }

    [Theory]
    [InlineData("generators example", "Example")]
    [InlineData("generators pitfalls", "Pitfalls")]
    [InlineData("closurs gotchas", "Pitfalls")]
    [InlineData("gil see also", "See also")]
    [InlineData("decorators definition", "Definition")]
    public async Task HandleAsync_TopicThenSectionWord_ShowsOnlyThatSection(string query, string heading)
    {
        var result = await _handler.HandleAsync(new ExplainRequest(query), CancellationToken.None);

        var shown = Assert.IsType<ConceptShown>(result.Outcome);
        var concept = Course.KnowledgeBase.FindById(shown.ConceptId)!;
        var section = concept.Sections.Single(candidate => candidate.Heading.StartsWith(heading, StringComparison.Ordinal));
        Assert.Equal(section.Heading, shown.Section);
        Assert.Equal(section.Markdown, result.Reply.Body);
        Assert.Equal("explain:" + concept.Id, result.Reply.Actions[0].Id);
    }

    [Fact]
    public async Task HandleAsync_Blank_ListsEveryConceptByTopicWithAMenuOptionForEach()
    {
        var result = await _handler.HandleAsync(new ExplainRequest(" "), CancellationToken.None);

        var listing = Assert.IsType<CourseListing>(result.Outcome);
        Assert.Equal(Course.KnowledgeBase.Concepts.Count, listing.Concepts.Count);
        Assert.All(Course.KnowledgeBase.Concepts, concept => Assert.Contains(MarkdownText.Escape(concept.Title), result.Reply.Body, StringComparison.Ordinal));
        var menu = Assert.IsType<ReplyMenu>(result.Reply.Menu);
        var topics = Course.KnowledgeBase.Outline().Single().Topics.Select(group => group.Topic).ToList();
        Assert.Equal(topics, menu.Groups.Select(group => group.Label));
        Assert.Equal(
            Course.KnowledgeBase.Concepts.Select(concept => "explain:" + concept.Id).Order(StringComparer.Ordinal),
            menu.Groups.SelectMany(group => group.Options).Select(option => option.ActionId).Order(StringComparer.Ordinal));
        Assert.All(menu.Groups, group => Assert.All(group.Options, option =>
            Assert.Equal(group.Label, Course.KnowledgeBase.FindById(option.ActionId["explain:".Length..])!.Topic)));
        Assert.All(topics, topic => Assert.Contains($"**{MarkdownText.Escape(topic)}**", result.Reply.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HelpHandler_OffersTheCourseMenu()
    {
        var result = await new HelpHandler(Course.Source).HandleAsync(new HelpRequest(), CancellationToken.None);

        Assert.Equal(Course.KnowledgeBase.Concepts.Count, result.Reply.Menu!.Groups.Sum(group => group.Options.Count));
        Assert.Contains($"{Course.KnowledgeBase.Concepts.Count} concepts in {Course.KnowledgeBase.Outline().Single().Topics.Count} topics", result.Reply.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_Unknown_SaysSoAndOffersTheListWithoutEchoingMarkup()
    {
        var result = await _handler.HandleAsync(new ExplainRequest("xyzzy *plugh* @qwertz"), CancellationToken.None);

        Assert.Empty(Assert.IsType<ConceptSuggestions>(result.Outcome).Suggestions);
        Assert.Contains(@"xyzzy \*plugh\* \@qwertz", result.Reply.Body, StringComparison.Ordinal);
        Assert.Equal("explain:", Assert.Single(result.Reply.Actions).Id);
    }

    [Fact]
    public async Task HandleAsync_Unsure_OffersEachSuggestionAsAnAction()
    {
        var result = await _handler.HandleAsync(new ExplainRequest("generators iterators"), CancellationToken.None);

        var suggestions = Assert.IsType<ConceptSuggestions>(result.Outcome).Suggestions;
        Assert.Equal(suggestions.Select(suggestion => "explain:" + suggestion.ConceptId), result.Reply.Actions.Select(action => action.Id));
        Assert.All(suggestions, suggestion => Assert.Contains(MarkdownText.Escape(suggestion.Title), result.Reply.Body, StringComparison.Ordinal));
    }

    /// <summary>A title with Markdown's characters in it (*args and **kwargs) reads as written, not as bold or italics.</summary>
    [Fact]
    public async Task HandleAsync_UnsureWithATitleOfAsterisks_WritesTheTitleAsText()
    {
        var result = await _handler.HandleAsync(new ExplainRequest("args generators"), CancellationToken.None);

        var suggestions = Assert.IsType<ConceptSuggestions>(result.Outcome).Suggestions;
        Assert.Contains(suggestions, suggestion => suggestion.Title == "*args and **kwargs");
        var items = MarkdownDialect.Parse(result.Reply.Body).Descendants<ListItemBlock>().ToList();
        Assert.Equal(suggestions.Count, items.Count);
        foreach (var (item, suggestion) in items.Zip(suggestions))
        {
            var paragraph = Assert.IsType<ParagraphBlock>(item[0]);
            var bold = Assert.IsType<EmphasisInline>(paragraph.Inline!.FirstChild);
            Assert.Equal(suggestion.Title, PlainText.Of(bold, linkTargets: false));
            Assert.Empty(bold.Descendants<EmphasisInline>());
        }
    }

    [Fact]
    public async Task HandleAsync_BlankAndHelp_MenuOptionsAreTheTitlesAsWrittenWhileTheListingEscapesThem()
    {
        var listing = await _handler.HandleAsync(new ExplainRequest(""), CancellationToken.None);
        var help = await new HelpHandler(Course.Source).HandleAsync(new HelpRequest(), CancellationToken.None);

        foreach (var reply in new[] { listing.Reply, help.Reply })
        {
            var labels = reply.Menu!.Groups.SelectMany(group => group.Options).Select(option => option.Label).ToList();
            Assert.Contains("*args and **kwargs", labels);
            Assert.Equal(Course.KnowledgeBase.Concepts.Select(concept => concept.Title).Order(StringComparer.Ordinal), labels.Order(StringComparer.Ordinal));
        }

        var listed = MarkdownDialect.Parse(listing.Reply.Body).Descendants<ParagraphBlock>()
            .SelectMany(paragraph => PlainText.Of(paragraph.Inline, linkTargets: false).Split(" · "))
            .Select(text => text.Contains(": ", StringComparison.Ordinal) ? text[(text.IndexOf(": ", StringComparison.Ordinal) + 2)..] : text);
        Assert.Contains("*args and **kwargs", listed);
    }

    [Fact]
    public async Task HandleAsync_RandomInput_AlwaysAnswersWithText()
    {
        var random = new Random(42);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz  *_-?!`@<>#[]()\\\n\t0123456789éß中🐍";
        for (var trial = 0; trial < 500; trial++)
        {
            var query = new string([.. Enumerable.Range(0, random.Next(0, 60)).Select(_ => alphabet[random.Next(alphabet.Length)])]);

            var result = await _handler.HandleAsync(new ExplainRequest(query), CancellationToken.None);

            Assert.False(string.IsNullOrWhiteSpace(result.Reply.Title));
            Assert.False(string.IsNullOrWhiteSpace(result.Reply.Body));
            Assert.All(result.Reply.Actions, action => Assert.InRange(action.Id.Length, 1, ReplyActions.MaxIdLength));
        }
    }
}
