using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Core;
using Bot.Core.Commands;
using Bot.Discord.Commands;
using Bot.Discord.Interactions;
using Bot.Discord.Tests.Rest;

namespace Bot.Discord.Tests.Commands;

/// <summary>The command set against Discord's published limits, and each command's options against the request it becomes.</summary>
public partial class DiscordCommandsTests
{
    public static TheoryData<string> Names => [.. DiscordCommands.All.Select(command => command.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Command_NameDescriptionAndOptions_AreWithinDiscordsLimits(string name)
    {
        var command = DiscordCommands.All.Single(candidate => candidate.Name == name);
        var options = command.Options ?? [];

        Assert.Matches(NamePattern(), command.Name);
        Assert.Equal(command.Name.ToLowerInvariant(), command.Name);
        Assert.InRange(command.Description.Length, 1, 100);
        Assert.InRange(options.Count, 0, 25);
        Assert.Equal(options.Count, options.Select(option => option.Name).Distinct().Count());
        Assert.True(options.SkipWhile(option => option.Required == true).All(option => option.Required != true), "required options come first");
        foreach (var option in options)
        {
            Assert.Matches(NamePattern(), option.Name);
            Assert.InRange(option.Description.Length, 1, 100);
            Assert.False(option.Autocomplete == true && option.Choices is not null, $"{option.Name}: autocomplete cannot have choices");
            Assert.InRange(option.Choices?.Count ?? 0, 0, 25);
            Assert.All(option.Choices ?? [], choice => Assert.True(choice.Name.Length is >= 1 and <= 100 && choice.Value.Length <= 100));
            Assert.InRange(option.MaxLength ?? 1, 1, 6000);
        }

        var characters = command.Name.Length + command.Description.Length
            + options.Sum(option => option.Name.Length + option.Description.Length + (option.Choices?.Sum(choice => choice.Name.Length + choice.Value.Length) ?? 0));
        Assert.InRange(characters, 1, 8000);
    }

    [Fact]
    public async Task BulkOverwrite_TheWholeSet_IsAcceptedByTheFakeWithoutProblems()
    {
        await using var harness = await RestHarness.StartAsync();

        var registered = await harness.Client.BulkOverwriteGlobalCommandsAsync([.. DiscordCommands.All], CancellationToken.None);

        Assert.Equal(DiscordCommands.All.Count, registered);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public void InviteUrl_HasBothScopesAndThePermissionsThePostsNeed()
    {
        var invite = DiscordCommands.InviteUrl("1100000000000000000").AbsoluteUri;

        Assert.Contains("client_id=1100000000000000000", invite, StringComparison.Ordinal);
        Assert.Contains("scope=bot%20applications.commands", invite, StringComparison.Ordinal);
        Assert.Contains("permissions=84992", invite, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"explain","options":[{"name":"topic","type":3,"value":"closures"},{"name":"section","type":3,"value":"example"}]}""", "closures example")]
    [InlineData("""{"name":"explain"}""", "")]
    public void Command_Explain_JoinsTopicAndSection(string data, string query) =>
        Assert.Equal(new ParsedRequest(new ExplainRequest(query)), InteractionRequests.Command(Data(data)));

    [Fact]
    public void Command_RegexTest_CarriesEveryOption() =>
        Assert.Equal(new ParsedRequest(new RegexTestRequest(@"(\d+)", "a 12", "i", "sub", "<\\1>")), InteractionRequests.Command(Data(
            """{"name":"regex-test","options":[{"name":"pattern","type":3,"value":"(\\d+)"},{"name":"text","type":3,"value":"a 12"},{"name":"flags","type":3,"value":"i"},{"name":"mode","type":3,"value":"sub"},{"name":"repl","type":3,"value":"<\\1>"}]}""")));

    [Theory]
    [InlineData("""{"custom_id":"quiz:next","component_type":2}""", "quiz:next")]
    [InlineData("""{"custom_id":"menu:2","component_type":3,"values":["explain:closures"]}""", "explain:closures")]
    [InlineData("""{"custom_id":"menu:2","component_type":3,"values":[]}""", null)]
    [InlineData("""{"custom_id":"menu:2","component_type":3}""", null)]
    public void ActionId_ButtonOrMenuChoice_IsTheCustomIdOrTheChosenValue(string data, string? expected) =>
        Assert.Equal(expected, InteractionRequests.ActionId(Data(data)));

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("regex")]
    [InlineData("Quiz")]
    public void Command_NotARegisteredName_IsNull(string name) => Assert.Null(InteractionRequests.Command(Data($$"""{"name":"{{name}}"}""")));

    [Fact]
    public void Command_RegexTestWithoutItsRequiredOptions_SaysWhatIsNeeded() =>
        Assert.Contains("`pattern:` and `text:`", Assert.IsType<CommandUsage>(InteractionRequests.Command(Data(
            """{"name":"regex-test","options":[{"name":"pattern","type":3,"value":"a+"}]}"""))).Message, StringComparison.Ordinal);

    [Fact]
    public void All_IsTheCatalogWithDiscordsOwnLimits()
    {
        Assert.Equal(CommandCatalog.All.Select(command => command.Name), DiscordCommands.All.Select(command => command.Name));
        var text = DiscordCommands.All.Single(command => command.Name == CommandCatalog.RegexTest.Name).Options!.Single(option => option.Name == "text");
        Assert.Equal(6000, text.MaxLength);
        var section = DiscordCommands.All.Single(command => command.Name == CommandCatalog.Explain.Name).Options!.Single(option => option.Name == "section");
        Assert.Null(section.MaxLength);
        Assert.Null(DiscordCommands.All.Single(command => command.Name == CommandCatalog.Stats.Name).Options);
    }

    [Fact]
    public void Caller_GuildMemberWithNickname_IsTheNicknameInThatGuild()
    {
        var interaction = JsonSerializer.Deserialize<Interaction>(
            """{"id":"1","application_id":"2","type":2,"token":"t","guild_id":"10","channel_id":"20","member":{"nick":"Ann","user":{"id":"30","username":"ann99"}}}""",
            DiscordJson.Options)!;

        Assert.Equal(new Caller(Platform.Discord, "10", "20", "30", "Ann"), InteractionRequests.Caller(interaction));
    }

    private static InteractionData Data(string json) => JsonSerializer.Deserialize<InteractionData>(json, DiscordJson.Options)!;

    [GeneratedRegex(@"^[-_'\p{L}\p{N}]{1,32}$")]
    private static partial Regex NamePattern();
}
