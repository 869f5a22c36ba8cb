using Bot.Core.Knowledge;

namespace Bot.Core.Quiz;

public enum PickReason
{
    /// <summary>A review whose time has come.</summary>
    Due,

    /// <summary>An unseen question from a concept the learner often gets wrong.</summary>
    Weak,

    /// <summary>A question the learner has never answered.</summary>
    New,

    /// <summary>Everything is answered and nothing is due: the next review, early.</summary>
    Early,
}

public sealed record QuestionPick(QuizQuestion Question, Concept Concept, PickReason Reason, ReviewCard? Card);

/// <summary>
/// Chooses the next question for a learner: due reviews first (most overdue first), then unseen
/// questions from the concepts the learner is weakest at, then new questions (easier levels first,
/// untouched concepts first within a level, easier questions first), and when all is done the next
/// review early.
/// </summary>
public static class QuestionPicker
{
    public static QuestionPick? Next(IEnumerable<Concept> concepts, IReadOnlyList<ReviewCard> cards, IReadOnlyList<ConceptScore> scores, DateTimeOffset now)
    {
        var candidates = concepts.Where(concept => concept.QuestionCount > 0).ToList();
        var questions = candidates
            .SelectMany(concept => concept.Questions.Select(question => (Question: question, Concept: concept)))
            .ToDictionary(entry => entry.Question.Id, StringComparer.Ordinal);
        var cardsById = cards.Where(card => questions.ContainsKey(card.QuestionId)).ToDictionary(card => card.QuestionId, StringComparer.Ordinal);

        var due = cardsById.Values.Where(card => card.DueAt <= now).OrderBy(card => card.DueAt).FirstOrDefault();
        if (due is not null)
        {
            var (question, concept) = questions[due.QuestionId];
            return new QuestionPick(question, concept, PickReason.Due, due);
        }

        var scoreById = scores.ToDictionary(score => score.ConceptId, StringComparer.OrdinalIgnoreCase);
        var weakest = candidates
            .Where(concept => scoreById.TryGetValue(concept.Id, out var score) && score.Correct < score.Answered)
            .OrderBy(concept => scoreById[concept.Id].Accuracy)
            .ThenByDescending(concept => scoreById[concept.Id].Answered - scoreById[concept.Id].Correct);
        foreach (var concept in weakest)
        {
            if (Unseen(concept, cardsById).FirstOrDefault() is { } question)
            {
                return new QuestionPick(question, concept, PickReason.Weak, null);
            }
        }

        // Beginners stay on beginner concepts until those have no unseen questions left: level first,
        // then concepts not yet touched (a tour of the level before going deeper), then easier questions.
        var fresh = candidates
            .SelectMany((concept, order) => Unseen(concept, cardsById).Select(question => (Question: question, Concept: concept, Order: order)))
            .OrderBy(entry => ConceptFileParser.LevelRank(entry.Concept.Level))
            .ThenBy(entry => scoreById.ContainsKey(entry.Concept.Id) || entry.Concept.Questions.Any(question => cardsById.ContainsKey(question.Id)))
            .ThenBy(entry => entry.Question.Difficulty)
            .ThenBy(entry => entry.Order)
            .FirstOrDefault();
        if (fresh.Question is not null)
        {
            return new QuestionPick(fresh.Question, fresh.Concept, PickReason.New, null);
        }

        var early = cardsById.Values.OrderBy(card => card.DueAt).FirstOrDefault();
        return early is null ? null : new QuestionPick(questions[early.QuestionId].Question, questions[early.QuestionId].Concept, PickReason.Early, early);
    }

    /// <summary>For <c>/quiz topic</c>: within one concept, due first, then unseen, then the next review early.</summary>
    public static QuestionPick? Next(Concept concept, IReadOnlyList<ReviewCard> cards, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(concept);
        var cardsById = cards.Where(card => concept.Questions.Any(question => question.Id == card.QuestionId))
            .ToDictionary(card => card.QuestionId, StringComparer.Ordinal);
        var byId = concept.Questions.ToDictionary(question => question.Id, StringComparer.Ordinal);

        if (cardsById.Values.Where(card => card.DueAt <= now).OrderBy(card => card.DueAt).FirstOrDefault() is { } due)
        {
            return new QuestionPick(byId[due.QuestionId], concept, PickReason.Due, due);
        }

        if (Unseen(concept, cardsById).FirstOrDefault() is { } unseen)
        {
            return new QuestionPick(unseen, concept, PickReason.New, null);
        }

        return cardsById.Values.OrderBy(card => card.DueAt).FirstOrDefault() is { } early
            ? new QuestionPick(byId[early.QuestionId], concept, PickReason.Early, early)
            : null;
    }

    private static IEnumerable<QuizQuestion> Unseen(Concept concept, Dictionary<string, ReviewCard> cards) =>
        concept.Questions
            .Select((question, order) => (Question: question, Order: order))
            .Where(entry => !cards.ContainsKey(entry.Question.Id))
            .OrderBy(entry => entry.Question.Difficulty)
            .ThenBy(entry => entry.Order)
            .Select(entry => entry.Question);
}
