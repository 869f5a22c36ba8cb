using Bot.Core;
using Bot.Core.Quiz;
using Bot.Core.Replies;
using Bot.Discord.Daily;
using Bot.Discord.Tests.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Tests.Daily;

public class DiscordDailyPublisherTests
{
    private static readonly DateTimeOffset Slot = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly ChannelTarget Target = new(Platform.Discord, RestHarness.GuildId, RestHarness.ChannelId);

    private static readonly Reply Question = new()
    {
        Title = "Daily quiz: Closures",
        Body = "**What does this print?**",
        Actions = [ReplyActions.Answer(7, 0, "A. 1"), ReplyActions.Answer(7, 1, "B. 2")],
    };

    [Fact]
    public async Task PostAsync_AgainForTheSameSlotAfterACrash_FindsThePostInsteadOfPostingTwice()
    {
        await using var harness = await RestHarness.StartAsync();
        var first = Publisher(harness);
        var restarted = Publisher(harness);

        var posted = await first.PostAsync(Target, Slot, Question, CancellationToken.None);
        // A new process after a crash knows only that the slot was claimed: it must not post again.
        var found = await restarted.PostAsync(Target, Slot, Question, CancellationToken.None);
        var nextDay = await restarted.PostAsync(Target, Slot.AddDays(1), Question, CancellationToken.None);

        Assert.Equal(posted, found);
        Assert.NotEqual(posted, nextDay);
        Assert.Equal(2, harness.Fake.Messages(RestHarness.ChannelId).Count);
        Assert.Equal(DiscordDailyPublisher.Marker(Slot), harness.Fake.Messages(RestHarness.ChannelId)[0].Current["embeds"]![0]!["footer"]!["text"]!.GetValue<string>());
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task PostAsync_ServerErrorAfterDiscordAcceptedThePost_RetriesWithTheNonceAndPostsOnce()
    {
        await using var harness = await RestHarness.StartAsync();
        harness.Fake.InjectStatus("POST", $"/channels/{RestHarness.ChannelId}/messages", 502, count: 1, afterProcessing: true);

        await Publisher(harness).PostAsync(Target, Slot, Question, CancellationToken.None);

        var post = Assert.Single(harness.Fake.Messages(RestHarness.ChannelId));
        Assert.Equal(25, post.Nonce!.Length);
        Assert.Equal(2, harness.Fake.Requests.Count(request => request.Method == "POST"));
    }

    [Fact]
    public async Task PostAsync_BotMayNotPostThere_IsPermanentAndSaysWhatToFix()
    {
        await using var harness = await RestHarness.StartAsync();
        const string lockedChannel = "1000000000000000099";
        harness.Fake.AddChannel(lockedChannel, RestHarness.GuildId, canSend: false);

        var refused = await Assert.ThrowsAsync<PermanentPublishException>(() =>
            Publisher(harness).PostAsync(Target with { Channel = lockedChannel }, Slot, Question, CancellationToken.None));

        Assert.Contains("View Channel, Send Messages", refused.Message, StringComparison.Ordinal);
        Assert.Single(harness.Fake.Requests, request => request.Method == "POST");
    }

    [Fact]
    public async Task PostAsync_UnknownChannel_IsPermanentAndNamesTheSetting()
    {
        await using var harness = await RestHarness.StartAsync();

        var refused = await Assert.ThrowsAsync<PermanentPublishException>(() =>
            Publisher(harness).PostAsync(Target with { Channel = "1000000000000000098" }, Slot, Question, CancellationToken.None));

        Assert.Contains("DailyQuiz:Targets", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevealAsync_EditsThePostInPlace()
    {
        await using var harness = await RestHarness.StartAsync();
        var publisher = Publisher(harness);
        var id = await publisher.PostAsync(Target, Slot, Question, CancellationToken.None);

        await publisher.RevealAsync(Target, id, new Reply { Title = "Daily quiz: Closures (answer)", Body = "**Answer:** B" }, CancellationToken.None);

        var post = Assert.Single(harness.Fake.Messages(RestHarness.ChannelId));
        Assert.Equal(1, post.EditCount);
        Assert.Contains("(answer)", post.Current.ToJsonString(), StringComparison.Ordinal);
    }

    private static DiscordDailyPublisher Publisher(RestHarness harness) =>
        new(harness.Client, harness.Services.GetRequiredService<IOptions<DiscordOptions>>(), NullLogger<DiscordDailyPublisher>.Instance);
}
