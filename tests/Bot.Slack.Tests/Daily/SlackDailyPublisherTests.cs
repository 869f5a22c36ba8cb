using Bot.Core;
using Bot.Core.Quiz;
using Bot.Core.Replies;
using Bot.Slack.Daily;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.WebApi;
using Bot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.Daily;

public sealed class SlackDailyPublisherTests
{
    private static readonly DateTimeOffset Slot = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly ChannelTarget Target = new(Platform.Slack, FakeSlack.TeamId, SlackApiHarness.ChannelId);

    private static readonly Reply Question = new()
    {
        Title = "Daily quiz: Closures",
        Body = "**What does this print?** <!channel> @here",
        Actions = [ReplyActions.Answer(7, 0, "A. 1"), ReplyActions.Answer(7, 1, "B. 2")],
    };

    private static readonly Reply Reveal = new()
    {
        Title = "Daily quiz: Closures (answer)",
        Body = "**Answer:** B. The closure captures the variable, not its value. <!here>",
        Fields = [new ReplyField("Results", "3 of 5 right")],
    };

    [Fact]
    public void SlotKey_SlotInAnotherOffset_IsUtcIsoPlusTarget()
    {
        var key = SlackDailyPublisher.SlotKey(Target, Slot.ToOffset(TimeSpan.FromHours(2)));

        Assert.Equal("2026-12-01T09:00:00Z|slack:T0FAKE001:C0CS101", key);
    }

    [Fact]
    public async Task PostAsync_AgainForTheSameSlotAfterARestart_FindsThePostInsteadOfPostingTwice()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        var first = Publisher(harness);
        var restarted = Publisher(harness);

        var posted = await first.PostAsync(Target, Slot, Question, CancellationToken.None);
        var found = await restarted.PostAsync(Target, Slot, Question, CancellationToken.None);
        var nextDay = await restarted.PostAsync(Target, Slot.AddDays(1), Question, CancellationToken.None);

        Assert.Equal(posted, found);
        Assert.NotEqual(posted, nextDay);
        var messages = harness.Fake.Messages(SlackApiHarness.ChannelId);
        Assert.Equal([posted, nextDay], messages.Select(message => message.Ts));
        Assert.Equal(SlackDailyPublisher.QuizEventType, messages[0].Metadata!["event_type"]!.GetValue<string>());
        Assert.Equal(SlackDailyPublisher.SlotKey(Target, Slot), messages[0].Metadata!["event_payload"]!["slot"]!.GetValue<string>());
        Assert.Equal(SlackDailyPublisher.SlotKey(Target, Slot.AddDays(1)), messages[1].Metadata!["event_payload"]!["slot"]!.GetValue<string>());
        Assert.Contains(messages[0].Blocks!, block => block!["type"]!.GetValue<string>() == "actions");
        Assert.Equal(2, harness.Fake.Requests.Count(request => request.ApiMethod == "chat.postMessage"));
        Assert.Single(harness.Logs.Entries, line => line.Level == LogLevel.Information && line.Message.Contains("found after a restart", StringComparison.Ordinal));
        Assert.Empty(harness.Fake.Problems);
        Assert.Empty(harness.Fake.Pings);
    }

    [Fact]
    public async Task PostAsync_SameSlotInAnotherChannel_PostsThere()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        const string otherChannel = "C0CS102";
        harness.Fake.AddChannel(otherChannel);
        var publisher = Publisher(harness);

        await publisher.PostAsync(Target, Slot, Question, CancellationToken.None);
        await publisher.PostAsync(Target with { Channel = otherChannel }, Slot, Question, CancellationToken.None);

        Assert.Single(harness.Fake.Messages(SlackApiHarness.ChannelId));
        Assert.Single(harness.Fake.Messages(otherChannel));
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task PostAsync_QuestionTooLongForOneMessage_ContinuesInTheThread()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        var paragraphs = Enumerable.Range(1, 60).Select(index => $"Paragraph {index}: " + new string('x', 2900));
        var longQuestion = Question with { Body = string.Join("\n\n", paragraphs) };
        var publisher = Publisher(harness);

        var ts = await publisher.PostAsync(Target, Slot, longQuestion, CancellationToken.None);
        var again = await publisher.PostAsync(Target, Slot, longQuestion, CancellationToken.None);

        Assert.Equal(ts, again);
        var post = Assert.Single(harness.Fake.Messages(SlackApiHarness.ChannelId));
        Assert.Equal(ts, post.Ts);
        Assert.NotEmpty(post.Replies);
        Assert.Equal(Bot.Slack.Rendering.SlackRenderer.Render(longQuestion).Count - 1, post.Replies.Count);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task RevealAsync_RunTwice_EditsThePostKeepingItsMetadataAndRepliesInTheThreadOnce()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        var publisher = Publisher(harness);
        var ts = await publisher.PostAsync(Target, Slot, Question, CancellationToken.None);
        harness.Fake.AddUserMessage(SlackApiHarness.ChannelId, SlackApiHarness.UserId, "I think B", threadTs: ts);

        await publisher.RevealAsync(Target, ts, Reveal, CancellationToken.None);
        await Publisher(harness).RevealAsync(Target, ts, Reveal, CancellationToken.None);

        var post = Assert.Single(harness.Fake.Messages(SlackApiHarness.ChannelId));
        Assert.Equal(2, post.EditCount);
        Assert.Contains("(answer)", post.Current.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("3 of 5 right", post.Current.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(SlackDailyPublisher.QuizEventType, post.Metadata!["event_type"]!.GetValue<string>());
        Assert.Equal(SlackDailyPublisher.SlotKey(Target, Slot), post.Metadata!["event_payload"]!["slot"]!.GetValue<string>());
        var reveals = post.Replies.Where(reply => reply.Metadata?["event_type"]?.GetValue<string>() == SlackDailyPublisher.RevealEventType).ToList();
        var reveal = Assert.Single(reveals);
        Assert.Contains("Answer", reveal.Text, StringComparison.Ordinal);
        Assert.Equal(2, post.Replies.Count);
        Assert.Equal(ts, await Publisher(harness).PostAsync(Target, Slot, Question, CancellationToken.None));
        Assert.Empty(harness.Fake.Problems);
        Assert.Empty(harness.Fake.Pings);
    }

    [Fact]
    public async Task PostAsync_BotNotInChannel_IsPermanentAndSaysToInviteTheBot()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        const string lockedChannel = "C0LOCKED";
        harness.Fake.AddChannel(lockedChannel, botIsMember: false);
        var locked = Target with { Channel = lockedChannel };

        var refused = await Assert.ThrowsAsync<PermanentPublishException>(() =>
            Publisher(harness).PostAsync(locked, Slot, Question, CancellationToken.None));

        Assert.StartsWith($"Daily quiz for {locked.Key}: invite the bot to the channel", refused.Message, StringComparison.Ordinal);
        Assert.IsType<SlackApiException>(refused.InnerException);
        Assert.Single(harness.Fake.Requests);
        Assert.Empty(harness.Fake.Messages(lockedChannel));
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task PostAsync_PostRefusedAfterTheLookup_IsPermanent()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        harness.Fake.InjectError("chat.postMessage", "is_archived", count: 1);

        var refused = await Assert.ThrowsAsync<PermanentPublishException>(() =>
            Publisher(harness).PostAsync(Target, Slot, Question, CancellationToken.None));

        Assert.Contains("unarchive", refused.Message, StringComparison.Ordinal);
        Assert.Single(harness.Fake.Requests, request => request.ApiMethod == "chat.postMessage");
    }

    [Fact]
    public async Task PostAsync_TransientSlackError_PropagatesForTheSchedulerToRetry()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        harness.Fake.InjectError("conversations.history", "internal_error", count: 1);
        var publisher = Publisher(harness);

        var failure = await Assert.ThrowsAsync<SlackApiException>(() => publisher.PostAsync(Target, Slot, Question, CancellationToken.None));
        var ts = await publisher.PostAsync(Target, Slot, Question, CancellationToken.None);

        Assert.Equal("internal_error", failure.Error);
        Assert.Equal(ts, Assert.Single(harness.Fake.Messages(SlackApiHarness.ChannelId)).Ts);
    }

    [Fact]
    public async Task RevealAsync_PostNoLongerExists_IsPermanent()
    {
        await using var harness = await SlackApiHarness.StartAsync();

        var refused = await Assert.ThrowsAsync<PermanentPublishException>(() =>
            Publisher(harness).RevealAsync(Target, "1700000000.999999", Reveal, CancellationToken.None));

        Assert.Contains("no longer exists", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Fake.Requests, request => request.ApiMethod is "chat.update" or "chat.postMessage");
    }

    private static SlackDailyPublisher Publisher(SlackApiHarness harness) =>
        new(harness.Client, harness.Services.GetRequiredService<ILogger<SlackDailyPublisher>>());
}
