using System.Runtime.CompilerServices;
using System.Text;
using Bot.Core.Commands;
using Bot.Core.Knowledge;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Bot.Core.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Explain;

/// <summary>
/// <c>/explain [topic] [section]</c>: shows a concept, one section of it
/// (<c>/explain generators example</c>), suggestions when unsure, or the course when blank.
/// Lookups that end unsure or with nothing found are logged and handed to <see cref="IUnansweredLookups"/>.
/// </summary>
public sealed partial class ExplainHandler(
    IKnowledgeBaseSource knowledge,
    IUnansweredLookups unanswered,
    TimeProvider time,
    ILogger<ExplainHandler> logger) : ICommandHandler<ExplainRequest>
{
    public static string CommandName => CommandCatalog.Explain.Name;

    /// <summary>How much of an unrecognised query a reply echoes, so that the reply never grows with what was pasted.</summary>
    private const int MaxEchoLength = 100;

    /// <summary>A handler that records no misses, for renderers' sweeps and benchmarks.</summary>
    public ExplainHandler(IKnowledgeBaseSource knowledge)
        : this(knowledge, NoUnansweredLookups.Instance, TimeProvider.System, NullLogger<ExplainHandler>.Instance)
    {
    }

    /// <summary>Words a learner may add after a topic, and the section heading each one means.</summary>
    private static readonly Dictionary<string, string> SectionWords = new(StringComparer.Ordinal)
    {
        ["definition"] = "definition",
        ["define"] = "definition",
        ["meaning"] = "definition",
        ["example"] = "example",
        ["examples"] = "example",
        ["code"] = "example",
        ["pitfall"] = "pitfall",
        ["pitfalls"] = "pitfall",
        ["gotcha"] = "pitfall",
        ["gotchas"] = "pitfall",
        ["mistakes"] = "pitfall",
        ["seealso"] = "seealso",
        ["related"] = "seealso",
    };

    Task<CommandResult> ICommandHandler<ExplainRequest>.HandleAsync(ExplainRequest request, Caller caller, CancellationToken cancellationToken) =>
        HandleAsync(request, cancellationToken);

    public Task<CommandResult> HandleAsync(ExplainRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var query = request.Query.Trim();
        var result = Explain(query);
        if (result.Outcome is ConceptSuggestions { Suggestions: var suggestions })
        {
            RecordMiss(query, suggestions);
        }

        return Task.FromResult(result);
    }

    private void RecordMiss(string query, IReadOnlyList<ConceptRef> suggestions)
    {
        var lookup = new UnansweredLookup(UnansweredLookup.Clip(query), [.. suggestions.Select(suggestion => suggestion.ConceptId)], time.GetUtcNow());
        LogUnanswered(lookup.Outcome, lookup.Query, lookup.CandidateIds);
        unanswered.Record(lookup);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Explain lookup {Outcome}: {Query}; suggested {Candidates}")]
    private partial void LogUnanswered(UnansweredOutcome outcome, string query, IReadOnlyList<string> candidates);

    private CommandResult Explain(string query)
    {
        var knowledgeBase = knowledge.Current;
        var lookup = knowledgeBase.Lookup(query);
        if (lookup.Kind == MatchKind.Exact)
        {
            return Show(knowledgeBase, lookup.Concept!, null, lookup.Kind);
        }

        if (FindSectionRequest(knowledgeBase, query) is { } sectionRequest)
        {
            return sectionRequest;
        }

        return lookup switch
        {
            { Kind: MatchKind.Blank } => ListCourse(knowledgeBase),
            { Concept: { } concept } => Show(knowledgeBase, concept, null, lookup.Kind),
            _ => Suggest(query, lookup.Suggestions),
        };
    }

    private static CommandResult? FindSectionRequest(KnowledgeBase knowledgeBase, string query)
    {
        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var taken = Math.Min(2, words.Length - 1); taken >= 1; taken--)
        {
            var sectionKey = TextNormalizer.Key(string.Join(' ', words[^taken..]));
            if (!SectionWords.TryGetValue(sectionKey, out var headingPrefix))
            {
                continue;
            }

            var topic = knowledgeBase.Lookup(string.Join(' ', words[..^taken]));
            if (topic.Concept is not { } concept)
            {
                continue;
            }

            var section = concept.Sections.FirstOrDefault(section =>
                TextNormalizer.Key(section.Heading).StartsWith(headingPrefix, StringComparison.Ordinal));
            if (section is not null)
            {
                return Show(knowledgeBase, concept, section, topic.Kind);
            }
        }

        return null;
    }

    private static CommandResult Show(KnowledgeBase knowledgeBase, Concept concept, ConceptSection? section, MatchKind matchedBy)
    {
        // The reply depends only on the concept (or section) and its knowledge base, which are immutable and
        // replaced whole on reload; caching per instance lets renderers cache their work per reply too.
        var reply = section is null
            ? ConceptReplies.GetValue(concept, _ => ConceptReply(knowledgeBase, concept))
            : SectionReplies.GetValue(section, _ => SectionReply(knowledgeBase, concept, section));
        return new CommandResult(CommandName, reply, new ConceptShown(concept.Id, concept.Title, section?.Heading, matchedBy));
    }

    private static readonly ConditionalWeakTable<Concept, Reply> ConceptReplies = [];
    private static readonly ConditionalWeakTable<ConceptSection, Reply> SectionReplies = [];

    private static Reply ConceptReply(KnowledgeBase knowledgeBase, Concept concept) => new()
    {
        Title = concept.Title,
        Summary = concept.Summary,
        Body = concept.Body,
        Actions = [.. RelatedActions(knowledgeBase, concept)],
    };

    private static Reply SectionReply(KnowledgeBase knowledgeBase, Concept concept, ConceptSection section) => new()
    {
        Title = $"{concept.Title}: {section.Heading}",
        Body = section.Markdown,
        Actions = [ReplyActions.Explain(concept.Id, $"All of {concept.Title}"), .. RelatedActions(knowledgeBase, concept)],
    };

    private static IEnumerable<ReplyAction> RelatedActions(KnowledgeBase knowledgeBase, Concept concept) =>
        concept.Related
            .Select(knowledgeBase.FindById)
            .OfType<Concept>()
            .Select(other => ReplyActions.Explain(other.Id, other.Title));

    private static CommandResult Suggest(string query, IReadOnlyList<Concept> suggestions)
    {
        var echoed = MarkdownText.Escape(TextClip.Clip(query, MaxEchoLength));
        var body = new StringBuilder();
        if (suggestions.Count == 0)
        {
            body.Append($"**{echoed}** is not in this course yet, or I didn't recognise it. ")
                .Append("Try other words, or `/explain` with no topic to browse every concept.");
        }
        else
        {
            body.Append($"I'm not sure what **{echoed}** refers to, and it may not be in this course yet. The closest concepts I have:\n\n");
            foreach (var (concept, number) in suggestions.Select((concept, index) => (concept, index + 1)))
            {
                // The title is text (*args and **kwargs); the summary is already Markdown.
                body.Append($"{number}. **{MarkdownText.Escape(concept.Title)}**: {concept.Summary}\n");
            }
        }

        var reply = new Reply
        {
            Title = suggestions.Count == 0 ? "Not in this course yet" : "Did you mean…",
            Body = body.ToString().TrimEnd(),
            Actions = suggestions.Count == 0
                ? [ReplyActions.Explain("", "List all concepts")]
                : [.. suggestions.Select(concept => ReplyActions.Explain(concept.Id, concept.Title))],
            Tone = ReplyTone.Warning,
        };
        return new CommandResult(CommandName, reply, new ConceptSuggestions([.. suggestions.Select(ToRef)]));
    }

    private static CommandResult ListCourse(KnowledgeBase knowledgeBase)
    {
        var reply = new Reply
        {
            Title = "What I can explain",
            Summary = $"{CourseMenu.Count(knowledgeBase)}. Pick one, or type /explain and its name (/explain closures); add example or pitfalls for just that section.",
            Body = CourseMenu.Text(knowledgeBase),
            Menu = CourseMenu.Menu(knowledgeBase),
        };
        return new CommandResult(CommandName, reply, new CourseListing([.. knowledgeBase.Concepts.Select(ToRef)]));
    }

    private static ConceptRef ToRef(Concept concept) => new(concept.Id, concept.Title);
}
