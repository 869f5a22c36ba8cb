using Bot.Core.Commands;
using YamlDotNet.RepresentationModel;

namespace Bot.Slack.Tests.Deploy;

/// <summary>The app manifests in deploy/slack declare exactly the commands the bot answers, where it answers them.</summary>
public class ManifestTests
{
    public static TheoryData<string> Manifests => ["manifest.yaml", "manifest-http.yaml"];

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Manifest_SlashCommands_AreTheCatalogs(string file)
    {
        var commands = Commands(file);

        Assert.Equal(CommandCatalog.All.Select(command => "/" + command.Name).Order(), commands.Select(command => command["command"]).Order());
        Assert.All(commands, command =>
        {
            var definition = CommandCatalog.Find(command["command"])!;
            Assert.Equal(definition.Description, command["description"]);
            Assert.Equal(definition.UsageHint, command.GetValueOrDefault("usage_hint"));
            Assert.IsNotType<UnknownCommand>(CommandText.Parse(command["command"], ""));
            Assert.InRange(command["command"].Length, 2, 32);
            Assert.Equal("false", command["should_escape"]);
        });
    }

    [Fact]
    public void HttpManifest_SendsEverythingToTheOneEventsUrl()
    {
        var root = Load("manifest-http.yaml");

        Assert.All(Commands("manifest-http.yaml"), command => Assert.EndsWith("/slack/events", command["url"], StringComparison.Ordinal));
        Assert.EndsWith("/slack/events", Scalar(root, "settings", "interactivity", "request_url"), StringComparison.Ordinal);
        Assert.Equal("false", Scalar(root, "settings", "socket_mode_enabled"));
        Assert.Equal("true", Scalar(Load("manifest.yaml"), "settings", "socket_mode_enabled"));
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepoPaths.Root, "deploy", "slack", file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static List<Dictionary<string, string>> Commands(string file) =>
        [.. ((YamlSequenceNode)((YamlMappingNode)Load(file)["features"])["slash_commands"]).Children.Cast<YamlMappingNode>()
            .Select(command => command.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value!))];

    private static string Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            current = ((YamlMappingNode)current)[key];
        }

        return ((YamlScalarNode)current).Value!;
    }
}
