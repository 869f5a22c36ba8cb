using Bot.Core.Commands;
using Bot.Core.Explain;
using Bot.Core.Knowledge;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Bot.Core.Search;

namespace Bot.Core.Quiz;

/// <summary><c>/quiz [topic]</c> and the answer buttons of every quiz message, practice or daily.</summary>
public sealed class QuizHandler(IKnowledgeBaseSource knowledge, IQuizStore store, TimeProvider time) : ICommandHandler<QuizRequest>, ICommandHandler<QuizAnswerRequest>
{
    public static string CommandName => CommandCatalog.Quiz.Name;

    public const string AnswerCommandName = "quiz-answer";

    Task<CommandResult> ICommandHandler<QuizRequest>.HandleAsync(QuizRequest request, Caller caller, CancellationToken cancellationToken) =>
        AskAsync(request, caller, cancellationToken);

    Task<CommandResult> ICommandHandler<QuizAnswerRequest>.HandleAsync(QuizAnswerRequest request, Caller caller, CancellationToken cancellationToken) =>
        AnswerAsync(request, caller, cancellationToken);

    public async Task<CommandResult> AskAsync(QuizRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        var knowledgeBase = knowledge.Current;
        var learner = Learner.Of(caller);
        var now = time.GetUtcNow();
        QuestionPick? pick;
        string? topic = null;
        if (string.IsNullOrWhiteSpace(request.Topic))
        {
            var history = await store.GetHistoryAsync(learner, cancellationToken).ConfigureAwait(false);
            pick = QuestionPicker.Next(knowledgeBase.Concepts, history.Cards, history.Concepts, now);
            if (pick is null)
            {
                return Unavailable("No questions yet", "This course has no quiz questions yet. Instructors add them in a `## Quiz` section of each concept file.", []);
            }
        }
        else
        {
            var lookup = knowledgeBase.Lookup(request.Topic);
            if (lookup.Concept is not { } concept)
            {
                var suggestions = lookup.Suggestions.Where(candidate => candidate.QuestionCount > 0).ToList();
                var echo = MarkdownText.Escape(TextClip.Clip(request.Topic.Trim(), 80));
                var body = suggestions.Count == 0
                    ? $"I have no quiz on “{echo}”. Try `/quiz` for your review queue, or `/explain` to see every topic."
                    : $"I have no quiz on “{echo}”. Did you mean one of these?";
                return Unavailable("No such topic", body, suggestions, suggestions.Select(candidate => ReplyActions.NextQuestion(candidate.Id, $"Quiz: {candidate.Title}")));
            }

            if (concept.QuestionCount == 0)
            {
                return Unavailable("No questions on this topic", $"There are no quiz questions on **{MarkdownText.Escape(concept.Title)}** yet.",
                    [], [ReplyActions.Explain(concept.Id, $"Explain {concept.Title}"), ReplyActions.NextQuestion(null, "Quiz me on anything")]);
            }

            topic = concept.Id;
            var cards = await store.GetReviewCardsAsync(learner, cancellationToken).ConfigureAwait(false);
            pick = QuestionPicker.Next(concept, cards, now)!;
        }

        var instance = await store.CreateInstanceAsync(new NewQuizInstance(
            QuizInstanceKind.Practice, pick.Question, caller.Platform, caller.Workspace, caller.Channel, caller.User, topic, now, RevealAt: null), cancellationToken).ConfigureAwait(false);
        var reply = QuizReplies.Question(instance, pick.Question, pick.Concept, Note(pick));
        return new CommandResult(CommandName, reply, new QuizQuestionShown(instance.Id, pick.Question.Id, pick.Concept.Id, pick.Reason, pick.Question.Choices));
    }

    public async Task<CommandResult> AnswerAsync(QuizAnswerRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        var instance = await store.FindInstanceAsync(request.InstanceId, cancellationToken).ConfigureAwait(false);
        if (instance is null || !WasAskedWhere(instance, caller))
        {
            return ProblemReply.Result("Question not found", "That quiz question no longer exists. Try `/quiz` for a new one.") with { Command = AnswerCommandName };
        }

        if (request.Choice < 0 || request.Choice >= instance.ChoiceCount)
        {
            return ProblemReply.Result("No such choice", $"That question has choices 1 to {instance.ChoiceCount}; pick one of them.") with { Command = AnswerCommandName };
        }

        var concept = knowledge.Current.FindById(instance.ConceptId);
        var question = concept?.Questions.FirstOrDefault(candidate => candidate.Id == instance.QuestionId);
        if (concept is null || question is null)
        {
            return ProblemReply.Result("Question retired", "That question has been changed or removed from the course since it was asked. Try `/quiz` for a fresh one.") with { Command = AnswerCommandName };
        }

        var now = time.GetUtcNow();
        if (instance.Kind == QuizInstanceKind.Daily && instance.RevealAt <= now)
        {
            var closed = new Reply
            {
                Title = "Answers are closed",
                Body = $"The answer to this daily question has been revealed: **{question.CorrectChoice}**. Try `/quiz` for more practice.",
                Visibility = ReplyVisibility.OnlyCaller,
            };
            return new CommandResult(AnswerCommandName, closed);
        }

        var answer = await store.RecordAnswerAsync(instance, Learner.Of(caller), caller.Name, request.Choice, now, cancellationToken).ConfigureAwait(false);
        var answeredBefore = !answer.IsNew;
        if (instance.Kind == QuizInstanceKind.Daily)
        {
            return new CommandResult(AnswerCommandName, QuizReplies.DailyAnswerRecorded(instance, question, answer, answeredBefore),
                new QuizAnswered(instance.Id, question.Id, concept.Id, answer.Choice, null, answer.IsNew));
        }

        var reply = QuizReplies.PracticeResult(instance, question, concept, answer, answeredBefore);
        var isOwner = instance.Owner == caller.User;
        reply = reply with
        {
            ReplacesOriginal = isOwner && !answeredBefore,
            Visibility = isOwner && !answeredBefore ? ReplyVisibility.Public : ReplyVisibility.OnlyCaller,
        };
        return new CommandResult(AnswerCommandName, reply, new QuizAnswered(instance.Id, question.Id, concept.Id, answer.Choice, answer.Correct, answer.IsNew));
    }

    /// <summary>
    /// An answer counts only where its question was asked: on that platform, in that guild or
    /// workspace, and in that channel when the request names one. A button id from elsewhere (ids
    /// are sequential) is treated as a question that does not exist there.
    /// </summary>
    private static bool WasAskedWhere(QuizInstance instance, Caller caller) =>
        instance.Platform == caller.Platform
        && string.Equals(instance.Workspace, caller.Workspace, StringComparison.Ordinal)
        && (string.IsNullOrEmpty(caller.Channel) || string.IsNullOrEmpty(instance.Channel) || string.Equals(instance.Channel, caller.Channel, StringComparison.Ordinal));

    private static string? Note(QuestionPick pick) => pick.Reason switch
    {
        PickReason.Due when pick.Card is { } card => card.Lapses > 0 && card.Repetitions == 0 ? "You missed this one before; time to try again." : "Due for review.",
        PickReason.Weak => "More practice on a concept you sometimes miss.",
        PickReason.Early when pick.Card is { } card => $"You are all caught up; this review is early (due {QuizReplies.FormatTime(card.DueAt)}).",
        _ => null,
    };

    private static CommandResult Unavailable(string title, string body, IReadOnlyList<Concept> suggestions, IEnumerable<ReplyAction>? actions = null) =>
        new(CommandName,
            new Reply { Title = title, Body = body, Tone = ReplyTone.Warning, Actions = [.. actions ?? []] },
            new QuizUnavailable([.. suggestions.Select(concept => new ConceptRef(concept.Id, concept.Title))]));
}
