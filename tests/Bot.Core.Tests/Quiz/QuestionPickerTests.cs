using Bot.Core.Knowledge;
using Bot.Core.Quiz;

namespace Bot.Core.Tests.Quiz;

public class QuestionPickerTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<Concept> Concepts => Course.KnowledgeBase.Concepts;

    [Fact]
    public void Next_NewLearner_GetsAnEasyQuestionFromABeginnerConcept()
    {
        var pick = QuestionPicker.Next(Concepts, [], [], Now)!;

        Assert.Equal(PickReason.New, pick.Reason);
        Assert.Equal("beginner", pick.Concept.Level);
        Assert.Equal(pick.Concept.Questions.Min(question => question.Difficulty), pick.Question.Difficulty);
    }

    [Fact]
    public void Next_EveryBeginnerConceptTouchedOnce_StaysOnBeginnerQuestionsUntilTheyRunOut()
    {
        var beginner = Concepts.Where(concept => concept.Level == "beginner").ToList();
        var cards = beginner.Select(concept => Card(concept.Questions[0], Now.AddDays(3))).ToList();
        var scores = beginner.Select(concept => new ConceptScore(concept.Id, 1, 1)).ToList();

        var pick = QuestionPicker.Next(Concepts, cards, scores, Now)!;
        Assert.Equal(PickReason.New, pick.Reason);
        Assert.Equal("beginner", pick.Concept.Level);

        var allBeginnerQuestions = beginner.SelectMany(concept => concept.Questions).Select(question => Card(question, Now.AddDays(3))).ToList();
        Assert.NotEqual("beginner", QuestionPicker.Next(Concepts, allBeginnerQuestions, scores, Now)!.Concept.Level);
    }

    [Fact]
    public void Next_NewLearner_MeetsEveryBeginnerConceptBeforeAnySecondQuestionOfOne()
    {
        var cards = new List<ReviewCard>();
        var scores = new List<ConceptScore>();
        var beginnerCount = Concepts.Count(concept => concept.Level == "beginner");
        for (var asked = 0; asked < beginnerCount; asked++)
        {
            var pick = QuestionPicker.Next(Concepts, cards, scores, Now)!;
            Assert.Equal("beginner", pick.Concept.Level);
            Assert.DoesNotContain(pick.Concept.Id, scores.Select(score => score.ConceptId));
            cards.Add(Card(pick.Question, Now.AddDays(1)));
            scores.Add(new ConceptScore(pick.Concept.Id, 1, 1));
        }
    }

    [Fact]
    public void Next_DueReviews_ComeFirstMostOverdueFirst()
    {
        var generators = Concepts.Single(concept => concept.Id == "generators");
        var closures = Concepts.Single(concept => concept.Id == "closures");
        ReviewCard[] cards =
        [
            Card(closures.Questions[0], due: Now.AddHours(-1)),
            Card(generators.Questions[1], due: Now.AddDays(-3)),
            Card(generators.Questions[2], due: Now.AddDays(2)),
        ];

        var pick = QuestionPicker.Next(Concepts, cards, [new ConceptScore("closures", 1, 0)], Now)!;

        Assert.Equal(PickReason.Due, pick.Reason);
        Assert.Equal(generators.Questions[1].Id, pick.Question.Id);
    }

    [Fact]
    public void Next_NothingDue_PracticesTheWeakestConceptWithAnUnseenQuestion()
    {
        var scope = Concepts.Single(concept => concept.Id == "scope");
        var slicing = Concepts.Single(concept => concept.Id == "slicing");
        ReviewCard[] cards = [Card(scope.Questions[0], Now.AddDays(1)), Card(slicing.Questions[0], Now.AddDays(1)), Card(slicing.Questions[1], Now.AddDays(1))];
        ConceptScore[] scores = [new("scope", 2, 1), new("slicing", 3, 1)];

        var pick = QuestionPicker.Next(Concepts, cards, scores, Now)!;

        Assert.Equal(PickReason.Weak, pick.Reason);
        Assert.Equal("slicing", pick.Concept.Id);
        Assert.DoesNotContain(pick.Question.Id, cards.Select(card => card.QuestionId));
    }

    [Fact]
    public void Next_AllAnswered_NothingDue_OffersTheNextReviewEarly()
    {
        var all = Concepts.SelectMany(concept => concept.Questions).ToList();
        var cards = all.Select((question, index) => Card(question, Now.AddDays(1 + index))).ToList();
        var scores = Concepts.Select(concept => new ConceptScore(concept.Id, concept.QuestionCount, concept.QuestionCount)).ToList();

        var pick = QuestionPicker.Next(Concepts, cards, scores, Now)!;

        Assert.Equal(PickReason.Early, pick.Reason);
        Assert.Equal(all[0].Id, pick.Question.Id);
    }

    [Fact]
    public void Next_ForOneConcept_DueThenUnseenThenEarly()
    {
        var concept = Concepts.Single(candidate => candidate.Id == "decorators");
        var questions = concept.Questions;

        var due = QuestionPicker.Next(concept, [Card(questions[3], Now.AddMinutes(-5))], Now)!;
        var unseen = QuestionPicker.Next(concept, [Card(questions[3], Now.AddDays(5))], Now)!;
        var early = QuestionPicker.Next(concept, [.. questions.Select((question, index) => Card(question, Now.AddDays(10 - index)))], Now)!;

        Assert.Equal((PickReason.Due, questions[3].Id), (due.Reason, due.Question.Id));
        Assert.Equal(PickReason.New, unseen.Reason);
        Assert.NotEqual(questions[3].Id, unseen.Question.Id);
        Assert.Equal((PickReason.Early, questions[^1].Id), (early.Reason, early.Question.Id));
    }

    [Fact]
    public void Next_CardsForQuestionsNoLongerInTheCourse_AreIgnored()
    {
        var pick = QuestionPicker.Next(Concepts, [new ReviewCard("gone:0000000000", "gone", 1, 1, 2.5, 0, Now, Now.AddDays(-9))], [], Now)!;

        Assert.Equal(PickReason.New, pick.Reason);
    }

    private static ReviewCard Card(QuizQuestion question, DateTimeOffset due) =>
        new(question.Id, question.ConceptId, 1, 1, SpacedRepetition.StartingEase, 0, due.AddDays(-1), due);
}
