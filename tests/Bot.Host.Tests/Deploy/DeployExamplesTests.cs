using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using TextRegex = System.Text.RegularExpressions.Regex;
using Bot.Adapters;
using Bot.Core.RegexTest;
using Bot.Discord;
using Bot.Host.Content;
using Bot.Host.Daily;
using Bot.Host.Health;
using Bot.Host.Storage;
using Bot.Host.Telemetry;
using Bot.Slack;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bot.Host.Tests.Deploy;

/// <summary>
/// What can be checked of deploy/compose.yaml, deploy/nginx.conf and deploy/kubernetes/ without Docker or a
/// cluster: the settings they use are the bot's configuration keys, secrets come from files or a Secret and
/// never appear inline, probes ask /readyz and /healthz on the bot's port, and nginx balances the three
/// replicas the compose file defines.
/// </summary>
public sealed partial class DeployExamplesTests
{
    private const string ScaleProfile = "scale";

    private static string DeployFolder => Path.Combine(RepoPaths.Root, "deploy");

    private static string ComposeFile => Path.Combine(DeployFolder, "compose.yaml");

    private static string NginxFile => Path.Combine(DeployFolder, "nginx.conf");

    private static IEnumerable<string> KubernetesFiles => Directory.EnumerateFiles(Path.Combine(DeployFolder, "kubernetes"), "*.yaml").Order(StringComparer.Ordinal);

    // ---- compose.yaml ----

    [Fact]
    public void Compose_BotServices_SetOnlyTheBotsConfigurationKeys()
    {
        var services = ComposeBotServices();

        Assert.NotEmpty(services);
        foreach (var (name, service) in services)
        {
            var unknown = ComposeEnvironment(service).Keys.Where(variable => !ConfigurationKeys.IsKnown(variable)).ToList();
            Assert.True(unknown.Count == 0, $"{name} sets {string.Join(", ", unknown)}, which the bot does not read");
        }
    }

    [Fact]
    public void Compose_Secrets_AreFilesMountedUnderTheirKeyNames_NeverEnvironmentValues()
    {
        var compose = LoadYaml(ComposeFile).Single();
        var declared = (YamlMappingNode)compose["secrets"];

        foreach (var (name, service) in ComposeBotServices())
        {
            var inline = ComposeEnvironment(service).Keys.Where(ConfigurationKeys.IsSecret).ToList();
            Assert.True(inline.Count == 0, $"{name} sets the secret(s) {string.Join(", ", inline)} in its environment");
            foreach (var secret in Sequence(service, "secrets"))
            {
                // Short syntax: mounted at /run/secrets/<secret name>, where the bot's key-per-file reader finds it.
                Assert.True(ConfigurationKeys.IsSecret(secret), $"{name} mounts {secret}, which is not one of the bot's secrets");
            }
        }

        foreach (var (name, secret) in declared.Children)
        {
            var file = Scalar(secret, "file");
            Assert.True(file is not null && file.StartsWith("./secrets/", StringComparison.Ordinal), $"secret {name} should be a file in deploy/secrets/, not {file}");
        }

        Assert.Contains("*", File.ReadAllLines(Path.Combine(DeployFolder, "secrets", ".gitignore")));
        Assert.Contains("deploy/secrets/", File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore")));
    }

    [Fact]
    public void Compose_DefaultBot_IsOneSqliteBotWithItsDataInANamedVolume()
    {
        var bot = ComposeBotServices().Single(service => Profiles(service.Service).Count == 0);

        Assert.Equal("bot", bot.Name);
        Assert.False(ComposeEnvironment(bot.Service).TryGetValue("Storage__Provider", out var provider) && provider != "Sqlite");
        Assert.Contains(Sequence(bot.Service, "volumes"), volume => volume.EndsWith(":/data", StringComparison.Ordinal) && !volume.StartsWith('.') && !volume.StartsWith('/'));
        Assert.Contains($"{BotHost.DefaultHttpPort}:{BotHost.DefaultHttpPort}", Sequence(bot.Service, "ports"));
    }

    [Fact]
    public void Compose_ScaleProfile_IsThreeHttpReplicasOnPostgresBehindNginx()
    {
        var compose = LoadYaml(ComposeFile).Single();
        var services = (YamlMappingNode)compose["services"];
        var replicas = ComposeBotServices().Where(service => Profiles(service.Service).Contains(ScaleProfile)).ToList();

        Assert.Equal(["bot-1", "bot-2", "bot-3"], replicas.Select(replica => replica.Name).ToArray());
        foreach (var (name, replica) in replicas)
        {
            var environment = ComposeEnvironment(replica);
            Assert.Equal("Postgres", environment.GetValueOrDefault("Storage__Provider"));
            // The gateway and Socket Mode are one connection per process: replicas take HTTP only.
            Assert.Equal("Http", environment.GetValueOrDefault("Discord__Transport"));
            Assert.Contains("ConnectionStrings__Postgres", Sequence(replica, "secrets"));
            Assert.DoesNotContain("Slack__AppToken", Sequence(replica, "secrets"));
            Assert.Equal("service_healthy", Scalar(replica["depends_on"], "postgres", "condition"));
        }

        var postgres = (YamlMappingNode)services["postgres"];
        Assert.Contains(ScaleProfile, Profiles(postgres));
        Assert.StartsWith("postgres:", Scalar(postgres, "image"), StringComparison.Ordinal);
        Assert.NotNull(Scalar(postgres, "environment", "POSTGRES_PASSWORD_FILE"));
        Assert.Null(Scalar(postgres, "environment", "POSTGRES_PASSWORD"));
        Assert.Contains("pg_isready", Sequence(postgres["healthcheck"], "test"));
        Assert.Contains(Sequence(postgres, "volumes"), volume => volume.EndsWith(":/var/lib/postgresql/data", StringComparison.Ordinal));

        var nginx = (YamlMappingNode)services["nginx"];
        Assert.Contains(ScaleProfile, Profiles(nginx));
        Assert.Contains("./nginx.conf:/etc/nginx/conf.d/default.conf:ro", Sequence(nginx, "volumes"));
        Assert.Equal(replicas.Select(replica => replica.Name), Sequence(nginx, "depends_on"));
    }

    // ---- nginx.conf ----

    [Fact]
    public void Nginx_Upstream_ListsTheThreeReplicasOnTheBotsPort()
    {
        var replicas = ComposeBotServices().Where(service => Profiles(service.Service).Contains(ScaleProfile)).Select(service => service.Name);

        var (upstream, servers) = NginxUpstream(File.ReadAllText(NginxFile));

        Assert.Equal(replicas.Select(name => $"{name}:{BotHost.DefaultHttpPort}"), servers);
        foreach (var path in new[] { "/discord/interactions", "/slack/events", HealthEndpoints.LivenessPath, HealthEndpoints.ReadinessPath })
        {
            Assert.Matches($@"location = {TextRegex.Escape(path)}\s*\{{\s*proxy_pass http://{upstream};", File.ReadAllText(NginxFile));
        }
    }

    [Fact]
    public void Nginx_BodyLimit_IsTheBotsOwn()
    {
        var limit = NginxBodyLimitBytes(File.ReadAllText(NginxFile));

        Assert.Equal(SignedWebhook.MaxBodyBytes, limit);
    }

    // ---- kubernetes/ ----

    [Fact]
    public void Kubernetes_Deployment_ProbesReadyzAndHealthzOnTheBotsPort_AsTheImagesUser()
    {
        var deployment = KubernetesObjects().Single(item => Scalar(item, "kind") == "Deployment");
        var pod = (YamlMappingNode)deployment["spec"]["template"]["spec"];
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Single();

        Assert.Equal(HealthEndpoints.ReadinessPath, Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal(HealthEndpoints.LivenessPath, Scalar(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal(BotHost.DefaultHttpPort, ContainerPort(container, Scalar(container, "readinessProbe", "httpGet", "port")));
        Assert.Equal(BotHost.DefaultHttpPort, ContainerPort(container, Scalar(container, "livenessProbe", "httpGet", "port")));
        Assert.Equal("true", Scalar(pod, "securityContext", "runAsNonRoot"));
        // The .NET images' APP_UID, which the Dockerfile's USER names.
        Assert.Equal("1654", Scalar(pod, "securityContext", "runAsUser"));
        Assert.Equal("false", Scalar(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.NotNull(Scalar(container, "resources", "requests", "memory"));
        Assert.NotNull(Scalar(container, "resources", "limits", "memory"));
    }

    [Fact]
    public void Kubernetes_EnvironmentAndSecret_UseTheBotsKeys_SecretsOnlyInTheSecret()
    {
        var objects = KubernetesObjects();
        var secret = objects.Single(item => Scalar(item, "kind") == "Secret");
        var container = (YamlMappingNode)((YamlSequenceNode)objects.Single(item => Scalar(item, "kind") == "Deployment")["spec"]["template"]["spec"]["containers"]).Single();

        var environment = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().Select(variable => Scalar(variable, "name")!).ToList();
        Assert.All(environment, variable => Assert.True(ConfigurationKeys.IsKnown(variable), $"{variable} is not a key the bot reads"));
        Assert.All(environment, variable => Assert.False(ConfigurationKeys.IsSecret(variable), $"{variable} is a secret: put it in the Secret"));

        var secretKeys = (YamlMappingNode)secret["stringData"];
        Assert.NotEmpty(secretKeys.Children);
        foreach (var (key, value) in secretKeys.Children)
        {
            Assert.True(ConfigurationKeys.IsSecret(key.ToString()), $"{key} in the Secret is not one of the bot's secrets");
            Assert.Matches("^<.+>$", value.ToString());
        }

        Assert.Equal(Scalar(secret, "metadata", "name"), Scalar((YamlMappingNode)((YamlSequenceNode)container["envFrom"]).Single(), "secretRef", "name"));
    }

    [Fact]
    public void Kubernetes_Service_SelectsThePodsAndReachesTheBotsPort()
    {
        var objects = KubernetesObjects();
        var service = objects.Single(item => Scalar(item, "kind") == "Service");
        var template = objects.Single(item => Scalar(item, "kind") == "Deployment")["spec"]["template"];
        var container = (YamlMappingNode)((YamlSequenceNode)template["spec"]["containers"]).Single();

        foreach (var (label, value) in ((YamlMappingNode)service["spec"]["selector"]).Children)
        {
            Assert.Equal(value.ToString(), Scalar(template, "metadata", "labels", label.ToString()));
        }

        var port = (YamlMappingNode)((YamlSequenceNode)service["spec"]["ports"]).Single();
        Assert.Equal(BotHost.DefaultHttpPort, ContainerPort(container, Scalar(port, "targetPort")));
    }

    // ---- every file ----

    [Fact]
    public void DeployFiles_HoldNoCredentials()
    {
        var files = new[] { ComposeFile, NginxFile, Path.Combine(DeployFolder, "secrets", "README.md") }.Concat(KubernetesFiles);

        foreach (var file in files)
        {
            var found = Credentials(File.ReadAllText(file));
            Assert.True(found.Count == 0, $"{Path.GetRelativePath(RepoPaths.Root, file)} holds what looks like a credential: {string.Join(", ", found)}");
        }
    }

    // ---- the checks themselves can fail ----

    [Fact]
    public void Credentials_FindTokensAndPasswords_NotPlaceholders()
    {
        // Assembled here so that no scanner mistakes this file for one holding a token.
        const string composeVariable = "Password=${PGPASSWORD}";
        var discordLike = string.Concat("MTEw", new string('x', 22), ".", "GaBcDe", ".", new string('y', 38));
        var text = $"""
            a: {discordLike}
            b: xoxb-{new string('1', 12)}-{new string('2', 13)}-abcdefabcdef
            c: xapp-1-A{new string('3', 10)}-4
            d: Host=db;Username=tutor;Password=hunter2
            fine: xoxb-… xapp-… Password=… Password=<password> {composeVariable} "Password=" and the password
            """;

        var found = Credentials(text);

        Assert.Equal(4, found.Count);
        Assert.Empty(Credentials("Discord__BotToken: \"<the token>\"\nConnectionStrings__Postgres: \"Host=<host>;Password=<password>\""));
    }

    [Fact]
    public void ConfigurationKeys_AreTheOptionsClassesSettableProperties()
    {
        Assert.True(ConfigurationKeys.IsKnown("Discord__BotToken"));
        Assert.True(ConfigurationKeys.IsKnown("Discord__GuildIds__0"));
        Assert.True(ConfigurationKeys.IsKnown("Discord__Retry__FirstDelay"));
        Assert.True(ConfigurationKeys.IsKnown("DailyQuiz__Targets__2__Channel"));
        Assert.True(ConfigurationKeys.IsKnown("Storage__Path"));
        Assert.True(ConfigurationKeys.IsKnown("ConnectionStrings__Postgres"));
        Assert.True(ConfigurationKeys.IsKnown("Metrics__Urls"));
        Assert.False(ConfigurationKeys.IsKnown("Discord__BotTokn"));
        Assert.False(ConfigurationKeys.IsKnown("Discord__Enabled"));        // computed, not a setting
        Assert.False(ConfigurationKeys.IsKnown("Storage__PostgresConnectionString"));  // set from ConnectionStrings:Postgres only
        Assert.False(ConfigurationKeys.IsKnown("DailyQuiz__Targets__Channel"));
        Assert.False(ConfigurationKeys.IsKnown("POSTGRES_PASSWORD"));
        Assert.True(ConfigurationKeys.IsSecret("Slack__SigningSecret"));
        Assert.False(ConfigurationKeys.IsSecret("Discord__PublicKey"));
    }

    [Fact]
    public void NginxParsing_FindsAnUpstreamsServersAndTheBodyLimit()
    {
        const string config = "upstream app {\n  server a:1;\n  server b:2 weight=2;\n  keepalive 4;\n}\nserver { client_max_body_size 1m; }";

        var (name, servers) = NginxUpstream(config);

        Assert.Equal("app", name);
        Assert.Equal(["a:1", "b:2"], servers);
        Assert.Equal(1024 * 1024, NginxBodyLimitBytes(config));
    }

    /// <summary>The compose file mounts each secret as a file named like its variable; written by `echo`, it ends in a line break.</summary>
    [Fact]
    public void SecretFile_NamedLikeTheVariable_IsReadAsTheKeyWithoutItsFinalLineBreak()
    {
        var directory = Directory.CreateTempSubdirectory("bot-secrets-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "Discord__BotToken"), "not-a-token\n");
            var configuration = new ConfigurationBuilder().AddKeyPerFile(directory.FullName, optional: false).Build();

            Assert.Equal("not-a-token", configuration["Discord:BotToken"]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // ---- helpers ----

    private static List<(string Name, YamlMappingNode Service)> ComposeBotServices()
    {
        var services = (YamlMappingNode)LoadYaml(ComposeFile).Single()["services"];
        return [.. from entry in services.Children
                   let service = (YamlMappingNode)entry.Value
                   where Scalar(service, "image") == "tutor-bot" || service.Children.ContainsKey("build")
                   select (entry.Key.ToString(), service)];
    }

    private static List<YamlMappingNode> KubernetesObjects() => [.. KubernetesFiles.SelectMany(LoadYaml)];

    /// <summary>Every document of a YAML file, with anchors, aliases and merge keys (<c>&lt;&lt;</c>) resolved as Compose does.</summary>
    private static List<YamlMappingNode> LoadYaml(string path)
    {
        using var reader = new StringReader(File.ReadAllText(path));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return [.. stream.Documents.Select(document => document.RootNode).OfType<YamlMappingNode>()];
    }

    private static string? Scalar(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return (node as YamlScalarNode)?.Value;
    }

    private static List<string> Sequence(YamlNode node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence
            ? [.. sequence.Children.OfType<YamlScalarNode>().Select(item => item.Value ?? "")]
            : [];

    private static List<string> Profiles(YamlMappingNode service) => Sequence(service, "profiles");

    /// <summary>A Compose service's environment, written as a mapping or as a list of NAME=value.</summary>
    private static Dictionary<string, string?> ComposeEnvironment(YamlMappingNode service)
    {
        if (!service.Children.TryGetValue(new YamlScalarNode("environment"), out var environment))
        {
            return [];
        }

        return environment switch
        {
            YamlMappingNode mapping => mapping.Children.ToDictionary(entry => entry.Key.ToString(), entry => (entry.Value as YamlScalarNode)?.Value, StringComparer.Ordinal),
            YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(item => item.Value!.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : null, StringComparer.Ordinal),
            _ => throw new InvalidOperationException("environment is neither a mapping nor a list"),
        };
    }

    /// <summary>A probe's or a Service's port, by number or by the container port's name.</summary>
    private static int ContainerPort(YamlMappingNode container, string? port)
    {
        if (int.TryParse(port, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var named = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().Single(entry => Scalar(entry, "name") == port);
        return int.Parse(Scalar(named, "containerPort")!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (string Name, string[] Servers) NginxUpstream(string config)
    {
        var upstream = UpstreamBlock().Match(config);
        Assert.True(upstream.Success, "no upstream block");
        var servers = UpstreamServer().Matches(upstream.Groups["body"].Value).Select(server => server.Groups["address"].Value).ToArray();
        return (upstream.Groups["name"].Value, servers);
    }

    private static int NginxBodyLimitBytes(string config)
    {
        var limit = BodyLimit().Match(config);
        Assert.True(limit.Success, "no client_max_body_size (nginx's default is 1m)");
        var number = int.Parse(limit.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return limit.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "K" => number * 1024,
            "M" => number * 1024 * 1024,
            _ => number,
        };
    }

    /// <summary>What looks like a Discord bot token, a Slack token or a connection string's password, placeholders aside.</summary>
    private static List<string> Credentials(string text) =>
        [.. DiscordToken().Matches(text).Select(_ => "a Discord bot token"),
            .. SlackToken().Matches(text).Select(match => $"a Slack {match.Groups["kind"].Value}- token"),
            .. ConnectionPassword().Matches(text)
                .Where(match => !match.Groups["value"].Value.StartsWith('<') && !match.Groups["value"].Value.StartsWith("${", StringComparison.Ordinal))
                .Select(_ => "a Password= value")];

    [GeneratedRegex(@"upstream\s+(?<name>[\w-]+)\s*\{(?<body>[^}]*)\}")]
    private static partial TextRegex UpstreamBlock();

    [GeneratedRegex(@"^\s*server\s+(?<address>[^\s;]+)[^;]*;", RegexOptions.Multiline)]
    private static partial TextRegex UpstreamServer();

    [GeneratedRegex(@"client_max_body_size\s+(?<number>\d+)(?<unit>[kKmM]?)\s*;")]
    private static partial TextRegex BodyLimit();

    [GeneratedRegex(@"[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}")]
    private static partial TextRegex DiscordToken();

    [GeneratedRegex(@"(?<kind>xox[abpors]|xapp)-[A-Za-z0-9-]{10,}")]
    private static partial TextRegex SlackToken();

    [GeneratedRegex(@"Password=(?<value>[^;\s""'`…]+)", RegexOptions.IgnoreCase)]
    private static partial TextRegex ConnectionPassword();

    /// <summary>
    /// The bot's configuration keys, as environment variable names: every settable property of its options
    /// classes under their sections (lists take an index, e.g. <c>Discord__GuildIds__0</c>), and
    /// <c>ConnectionStrings__Postgres</c>.
    /// </summary>
    private static class ConfigurationKeys
    {
        private const string Index = "#";

        private static readonly HashSet<string> Keys = Build();

        public static bool IsKnown(string variable) => Keys.Contains(Pattern(variable));

        public static bool IsSecret(string variable) =>
            SettingsFileSecrets.SecretKeys.Contains(variable.Replace("__", ":", StringComparison.Ordinal), StringComparer.Ordinal);

        private static string Pattern(string variable) =>
            string.Join(":", variable.Split("__").Select(segment => segment.Length > 0 && segment.All(char.IsAsciiDigit) ? Index : segment));

        private static HashSet<string> Build()
        {
            var keys = new HashSet<string>(StringComparer.Ordinal) { StorageOptions.PostgresConnectionStringKey };
            Add(keys, DiscordOptions.Section, typeof(DiscordOptions));
            Add(keys, SlackOptions.Section, typeof(SlackOptions));
            Add(keys, StorageOptions.Section, typeof(StorageOptions));
            Add(keys, ContentOptions.Section, typeof(ContentOptions));
            Add(keys, MetricsOptions.Section, typeof(MetricsOptions));
            Add(keys, DailyQuizOptions.Section, typeof(DailyQuizOptions));
            Add(keys, RegexTestLimits.Section, typeof(RegexTestLimits));
            return keys;
        }

        private static void Add(HashSet<string> keys, string prefix, Type type)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.GetSetMethod() is not null))
            {
                var key = $"{prefix}:{property.Name}";
                var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (IsLeaf(propertyType))
                {
                    keys.Add(key);
                }
                else if (propertyType.IsGenericType && typeof(IEnumerable).IsAssignableFrom(propertyType))
                {
                    var element = propertyType.GetGenericArguments()[0];
                    if (IsLeaf(element))
                    {
                        keys.Add($"{key}:{Index}");
                    }
                    else
                    {
                        Add(keys, $"{key}:{Index}", element);
                    }
                }
                else
                {
                    Add(keys, key, propertyType);
                }
            }
        }

        private static bool IsLeaf(Type type) =>
            type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }
}
