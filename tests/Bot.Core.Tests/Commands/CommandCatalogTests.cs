using Bot.Core.Commands;
using Bot.Core.Help;

namespace Bot.Core.Tests.Commands;

/// <summary>The catalog is the one place a command is defined: its entries must be usable by every reader of it.</summary>
public class CommandCatalogTests
{
    public static TheoryData<string> Names => [.. CommandCatalog.All.Select(command => command.Name)];

    [Fact]
    public void NamesAndAliases_AreUniqueLowerCaseAndWithoutSlash()
    {
        var names = CommandCatalog.All.SelectMany(command => command.Aliases.Prepend(command.Name)).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(names, name => Assert.Matches("^[a-z?][-a-z]*$", name));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Command_CanBeTypedAndIsDescribed(string name)
    {
        var command = CommandCatalog.Find(name)!;

        Assert.Same(command, CommandCatalog.Find("/" + name.ToUpperInvariant()));
        Assert.False(string.IsNullOrWhiteSpace(command.Description));
        Assert.NotEmpty(command.Help);
        Assert.True(command.Options.SkipWhile(option => option.Required).All(option => !option.Required), "required options come first");
        Assert.Equal(command.Options.Count, command.Options.Select(option => option.Name).Distinct().Count());
        Assert.All(command.Options, option => Assert.False(option.Autocomplete && option.Choices is not null, $"{option.Name}: suggested values or fixed choices, not both"));
        switch (command.Text)
        {
            case TextArguments.None:
                Assert.Empty(command.Options);
                break;
            case TextArguments.FirstOption:
                Assert.NotEmpty(command.Options);
                break;
            case TextArguments.Named:
                Assert.True(command.Options.Count >= 2, "the short form gives the first two options");
                Assert.NotNull(command.TextUsage);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Command_WithoutOptions_IsARequestOrSaysWhatIsNeeded(string name)
    {
        var parsed = CommandCatalog.Find(name)!.Build(new Dictionary<string, string>());

        Assert.True(parsed is ParsedRequest || parsed is CommandUsage { Message.Length: > 0 }, $"{name}: {parsed}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Command_TypedWithItsOptions_IsTheRequestItsOptionsMake(string name)
    {
        var command = CommandCatalog.Find(name)!;
        var options = command.Options.ToDictionary(option => option.Name, option => option.Choices?[0].Value ?? "closures");
        var line = command.Text switch
        {
            TextArguments.Named => string.Join(' ', options.Select(option => $"{option.Key}: {option.Value}")),
            TextArguments.FirstOption => options[command.Options[0].Name],
            _ => "",
        };
        if (command.Text == TextArguments.FirstOption)
        {
            options = new Dictionary<string, string> { [command.Options[0].Name] = options[command.Options[0].Name] };
        }

        Assert.Equal(command.Build(options), CommandText.Parse(name, line));
    }

    [Fact]
    public void Build_ExplainTopicAndSection_IsOneQuery() =>
        Assert.Equal(new ParsedRequest(new ExplainRequest("closures example")),
            CommandCatalog.Explain.Build(new Dictionary<string, string> { ["topic"] = " closures ", ["section"] = "example" }));

    [Fact]
    public async Task Help_ListsEveryCommandInCatalogOrder()
    {
        var body = (await new HelpHandler(Course.Source).HandleAsync(new HelpRequest(), CancellationToken.None)).Reply.Body!;

        var positions = CommandCatalog.All.Select(command => body.IndexOf($"`/{command.Name}", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(CommandCatalog.All.Sum(command => command.Help.Count), body.Split('\n').Length);
    }
}
