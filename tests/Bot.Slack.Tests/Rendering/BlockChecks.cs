using System.Globalization;
using System.Text.Json;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Bot.Slack;
using Bot.Slack.Rendering;
using Bot.Slack.Tests.Fakes;
using Markdig;

namespace Bot.Slack.Tests.Rendering;

/// <summary>Checks rendered messages against every Block Kit limit, for ping safety, and against the reply they came from.</summary>
internal static partial class BlockChecks
{
    /// <summary>Every way <paramref name="messages"/> would be rejected by Slack, ping someone or render broken; empty when none.</summary>
    public static List<string> Violations(IReadOnlyList<SlackMessage> messages)
    {
        var problems = new List<string>();
        if (messages.Count == 0)
        {
            problems.Add("no message");
        }

        for (var index = 0; index < messages.Count; index++)
        {
            var message = messages[index];
            var where = $"message {index + 1}/{messages.Count}";
            Check(message.Text.Trim().Length is > 0 and <= SlackLimits.TextObject, where, $"fallback text length {message.Text.Length}");
            Check(!message.Text.Contains('<', StringComparison.Ordinal) && !message.Text.Contains('>', StringComparison.Ordinal), where, "unescaped < or > in the fallback: " + message.Text);
            Check(message.Blocks.Count <= SlackLimits.Blocks, where, $"{message.Blocks.Count} blocks");
            if (index < messages.Count - 1)
            {
                Check(!message.Blocks.OfType<ActionsBlock>().Any(), where, "buttons before the last message");
            }

            // The fake Slack's validator, written from Block Kit's documentation, sees the JSON Slack would get.
            foreach (var error in BlockKitValidator.Validate(JsonSerializer.SerializeToNode(message.Blocks, SlackJson.Options)))
            {
                Check(false, where, error);
            }

            var actionIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var block in message.Blocks)
            {
                Check(block.BlockId is null || block.BlockId.Length is > 0 and <= SlackLimits.BlockId, where, "block_id length");
                switch (block)
                {
                    case HeaderBlock header:
                        CheckPlain(header.Text, SlackLimits.HeaderText, "header");
                        break;
                    case SectionBlock section:
                        Check(section.Text is not null || section.Fields is { Count: > 0 }, where, "empty section");
                        if (section.Text is { } text)
                        {
                            CheckMrkdwn(text, SlackLimits.SectionText, "section text");
                        }

                        Check((section.Fields?.Count ?? 0) <= SlackLimits.SectionFields, where, $"{section.Fields?.Count} fields");
                        foreach (var field in section.Fields ?? [])
                        {
                            CheckMrkdwn(field, SlackLimits.FieldText, "field");
                        }

                        if (section.Accessory is { } menu)
                        {
                            Check(menu.ActionId.Length is > 0 and <= SlackLimits.ActionId && actionIds.Add(menu.ActionId), where, $"menu action_id {menu.ActionId}");
                            CheckPlain(menu.Placeholder, SlackLimits.Placeholder, "menu placeholder");
                            Check(menu.OptionGroups.Count is > 0 and <= SlackLimits.OptionGroups, where, $"{menu.OptionGroups.Count} option groups");
                            Check(menu.OptionGroups.Sum(group => group.Options.Count) <= SlackLimits.SelectOptions, where, "more than 100 options in one menu");
                            Check(menu.OptionGroups.SelectMany(group => group.Options).Select(option => option.Value).Distinct(StringComparer.Ordinal).Count()
                                == menu.OptionGroups.Sum(group => group.Options.Count), where, "repeated option value");
                            foreach (var group in menu.OptionGroups)
                            {
                                CheckPlain(group.Label, SlackLimits.GroupLabel, "option group label");
                                Check(group.Options.Count > 0, where, "empty option group");
                                foreach (var option in group.Options)
                                {
                                    CheckPlain(option.Text, SlackLimits.OptionText, "option text");
                                    Check(option.Value.Length is > 0 and <= SlackLimits.OptionValue, where, $"option value '{option.Value}'");
                                }
                            }
                        }

                        break;
                    case ContextBlock context:
                        Check(context.Elements.Count is > 0 and <= SlackLimits.ContextElements, where, $"{context.Elements.Count} context elements");
                        foreach (var element in context.Elements)
                        {
                            if (element.Type == SlackText.MrkdwnType)
                            {
                                CheckMrkdwn(element, SlackLimits.TextObject, "context");
                            }
                            else
                            {
                                CheckPlain(element, SlackLimits.TextObject, "context");
                            }
                        }

                        break;
                    case ActionsBlock actions:
                        Check(actions.Elements.Count is > 0 and <= SlackLimits.ActionsElements, where, $"{actions.Elements.Count} buttons");
                        foreach (var button in actions.Elements)
                        {
                            CheckPlain(button.Text, SlackLimits.ButtonText, "button text");
                            Check(button.ActionId.Length is > 0 and <= SlackLimits.ActionId, where, "action_id length");
                            Check(button.Value is null || button.Value.Length is > 0 and <= SlackLimits.ButtonValue, where, "button value length");
                            Check(actionIds.Add(button.ActionId), where, $"repeated action_id {button.ActionId}");
                        }

                        break;
                    case DividerBlock:
                        break;
                    default:
                        Check(false, where, "unknown block " + block.GetType().Name);
                        break;
                }
            }

            void CheckMrkdwn(SlackText text, int limit, string what)
            {
                Check(text.Type == SlackText.MrkdwnType && text.Verbatim == true, where, what + " is not verbatim mrkdwn");
                Check(text.Text.Trim().Length is > 0 && text.Text.Length <= limit, where, $"{what} length {text.Text.Length}");
                Check(FencesBalanced(text.Text), where, what + " has unbalanced ```:\n" + text.Text);
                Check(OnlyOwnMarkup(text.Text), where, what + " has an unescaped < or a mention:\n" + text.Text);
                Check(IsWellFormed(text.Text), where, what + " has a lone surrogate");
            }

            void CheckPlain(SlackText text, int limit, string what)
            {
                Check(text.Type == SlackText.PlainType && text.Verbatim is null, where, what + " is not plain text");
                Check(text.Text.Trim().Length is > 0 && text.Text.Length <= limit, where, $"{what} length {text.Text.Length}");
                Check(!text.Text.Contains('<', StringComparison.Ordinal), where, what + " has an unescaped <");
                Check(IsWellFormed(text.Text), where, what + " has a lone surrogate");
            }
        }

        return problems;

        void Check(bool holds, string where, string what)
        {
            if (!holds)
            {
                problems.Add($"{where}: {what}");
            }
        }
    }

    /// <summary>An even number of ``` markers: Slack pairs them up in order.</summary>
    public static bool FencesBalanced(string mrkdwn)
    {
        var markers = 0;
        for (var index = mrkdwn.IndexOf("```", StringComparison.Ordinal); index >= 0; index = mrkdwn.IndexOf("```", index + 3, StringComparison.Ordinal))
        {
            markers++;
        }

        return markers % 2 == 0;
    }

    /// <summary>Every <c>&lt;</c> opens a link of ours (http, https or mailto), so no mention, channel or special command can be in the text.</summary>
    public static bool OnlyOwnMarkup(string mrkdwn)
    {
        var withoutLinks = OwnLink().Replace(mrkdwn, "");
        return !withoutLinks.Contains('<', StringComparison.Ordinal);
    }

    /// <summary>The words of <paramref name="reply"/>'s text that are missing from the rendered messages, with how many are missing.</summary>
    public static Dictionary<string, int> LostWords(Reply reply, IReadOnlyList<SlackMessage> messages)
    {
        // Titles are clipped to the header limit by design, and field names to 200 characters.
        var expected = Words(Clip(reply.Title, SlackLimits.HeaderText - 10) + " " + reply.Summary + " " + PlainText(reply.Body)
            + " " + string.Join(' ', reply.Fields.Select(field => Clip(field.Name, 190) + " " + PlainText(field.Value))));
        var rendered = new StringBuilder();
        foreach (var block in messages.SelectMany(message => message.Blocks))
        {
            var texts = block switch
            {
                HeaderBlock header => [header.Text.Text],
                SectionBlock section => new[] { section.Text?.Text }.Concat(section.Fields?.Select(field => field.Text) ?? []),
                ContextBlock context => context.Elements.Select(element => element.Text),
                _ => [],
            };
            foreach (var shown in texts)
            {
                rendered.Append(Unescape(shown ?? "")).Append(' ');
            }
        }

        // Markers may sit inside a word (2*3 in code) or around one (*L*ocal): count both readings.
        var text = rendered.ToString();
        var asSpaces = Words(text.Replace('*', ' ').Replace('~', ' ').Replace('_', ' '));
        var removed = Words(text.Replace("*", "", StringComparison.Ordinal).Replace("~", "", StringComparison.Ordinal).Replace('_', ' '));
        var plain = Words(text);
        return expected
            .Where(word => Math.Max(plain.GetValueOrDefault(word.Key), Math.Max(asSpaces.GetValueOrDefault(word.Key), removed.GetValueOrDefault(word.Key))) < word.Value)
            .ToDictionary(word => word.Key, word => word.Value - plain.GetValueOrDefault(word.Key), StringComparer.Ordinal);
    }

    public static string Unescape(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    /// <summary>How often each run of letters and digits occurs.</summary>
    public static Dictionary<string, int> Words(string text)
    {
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (var character in text + " ")
        {
            if (char.IsLetterOrDigit(character))
            {
                word.Append(character);
            }
            else if (word.Length > 0)
            {
                var key = word.ToString().ToLower(CultureInfo.InvariantCulture);
                words[key] = words.GetValueOrDefault(key) + 1;
                word.Clear();
            }
        }

        return words;
    }

    private static string PlainText(string? markdown) =>
        markdown is null ? "" : Markdown.ToPlainText(markdown, MarkdownDialect.Pipeline);

    /// <summary>The whole words of the first <paramref name="length"/> characters.</summary>
    private static string Clip(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var space = text.LastIndexOf(' ', length);
        return space < 0 ? "" : text[..space];
    }

    private static bool IsWellFormed(string text)
    {
        for (var index = 0; index < text.Length; index++)
        {
            if (char.IsHighSurrogate(text[index]))
            {
                if (index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1]))
                {
                    return false;
                }

                index++;
            }
            else if (char.IsLowSurrogate(text[index]))
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"<(?:https?://|mailto:)[^<>|\s]*(?:\|[^<>]*)?>", RegexOptions.IgnoreCase)]
    private static partial Regex OwnLink();
}
