using System.Globalization;
using System.Text;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Bot.Discord.Rendering;
using Markdig;
using Markdig.Syntax;

namespace Bot.Discord.Tests.Rendering;

/// <summary>Checks rendered messages against every documented Discord limit, and against the reply they came from.</summary>
internal static class MessageChecks
{
    /// <summary>Every way <paramref name="messages"/> would be rejected by Discord or would render broken; empty when none.</summary>
    public static List<string> Violations(IReadOnlyList<DiscordMessage> messages)
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
            var embeds = message.Embeds ?? [];
            var rows = message.Components ?? [];
            Check(message.Content is null || message.Content.Length is > 0 and <= DiscordLimits.Content, where, "content length");
            Check(message.Content is not null || embeds.Count > 0 || rows.Count > 0, where, "nothing to send");
            Check(message.AllowedMentions.Parse.Count == 0, where, "allowed_mentions lets mentions ping");
            Check(embeds.Count <= DiscordLimits.EmbedsPerMessage, where, $"{embeds.Count} embeds");
            Check(embeds.Sum(DiscordLimits.EmbedTextLength) <= DiscordLimits.EmbedTotal, where, $"embed text {embeds.Sum(DiscordLimits.EmbedTextLength)}");
            foreach (var embed in embeds)
            {
                Check(embed.Title is not null || embed.Description is not null || embed.Fields is { Count: > 0 }, where, "empty embed");
                Check(embed.Title is null || embed.Title.Length is > 0 and <= DiscordLimits.EmbedTitle, where, "title length");
                Check(embed.Description is null || embed.Description.Length is > 0 and <= DiscordLimits.EmbedDescription, where, $"description length {embed.Description?.Length}");
                Check(embed.Footer is null || embed.Footer.Text.Length <= DiscordLimits.FooterText, where, "footer length");
                Check((embed.Fields?.Count ?? 0) <= DiscordLimits.EmbedFields, where, $"{embed.Fields?.Count} fields");
                foreach (var field in embed.Fields ?? [])
                {
                    Check(field.Name.Length is > 0 and <= DiscordLimits.FieldName, where, "field name length");
                    Check(field.Value.Length is > 0 and <= DiscordLimits.FieldValue, where, $"field value length {field.Value.Length}");
                }

                if (embed.Description is { } description)
                {
                    Check(FencesBalanced(description), where, "unbalanced code fence in:\n" + description);
                }

                foreach (var text in new[] { embed.Title, embed.Description }.Concat(embed.Fields?.SelectMany(field => new[] { field.Name, field.Value }) ?? []))
                {
                    Check(text is null || IsWellFormed(text), where, "a lone surrogate");
                }
            }

            Check(rows.Count <= DiscordLimits.ActionRows, where, $"{rows.Count} action rows");
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                Check(row.Type == 1 && row.Components.Count is > 0 and <= DiscordLimits.ButtonsPerRow, where, $"row of {row.Components.Count}");
                Check(row.Components.All(component => component is DiscordButton) || row.Components.Count == 1, where, "a select shares its row");
                foreach (var component in row.Components)
                {
                    switch (component)
                    {
                        case DiscordButton button:
                            Check(button.Type == 2 && button.Label.Length is > 0 and <= DiscordLimits.ButtonLabel, where, $"label '{button.Label}'");
                            Check(button.CustomId is { Length: > 0 and <= DiscordLimits.CustomId }, where, $"custom_id '{button.CustomId}'");
                            Check(button.CustomId is null || ids.Add(button.CustomId), where, $"repeated custom_id '{button.CustomId}'");
                            break;
                        case DiscordStringSelect select:
                            Check(select.Type == 3 && select.CustomId.Length is > 0 and <= DiscordLimits.CustomId && ids.Add(select.CustomId), where, $"select custom_id '{select.CustomId}'");
                            Check(select.Options.Count is > 0 and <= 25, where, $"select of {select.Options.Count} options");
                            Check(select.Placeholder is null || select.Placeholder.Length <= 150, where, $"placeholder '{select.Placeholder}'");
                            Check(select.MinValues is >= 0 and <= 25 && select.MaxValues is >= 1 and <= 25 && select.MinValues <= select.MaxValues, where, "min/max values");
                            Check(select.Options.Select(option => option.Value).Distinct(StringComparer.Ordinal).Count() == select.Options.Count, where, "repeated option value");
                            foreach (var option in select.Options)
                            {
                                Check(option.Label.Length is > 0 and <= 100 && option.Value.Length is > 0 and <= 100 && (option.Description?.Length ?? 0) <= 100,
                                    where, $"option '{option.Label}'");
                            }

                            break;
                        default:
                            Check(false, where, $"unknown component {component.GetType().Name}");
                            break;
                    }
                }
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

    /// <summary>Both by CommonMark (every fence closed) and by Discord (an even number of ``` markers).</summary>
    public static bool FencesBalanced(string markdown)
    {
        var closed = Markdown.Parse(markdown, MarkdownDialect.Pipeline)
            .Descendants<FencedCodeBlock>()
            .All(fence => fence.ClosingFencedCharCount > 0);
        var markers = 0;
        for (var index = markdown.IndexOf("```", StringComparison.Ordinal); index >= 0; index = markdown.IndexOf("```", index + 3, StringComparison.Ordinal))
        {
            markers++;
        }

        return closed && markers % 2 == 0;
    }

    /// <summary>The words of <paramref name="reply"/>'s text that are missing from the rendered messages, with how many are missing.</summary>
    public static Dictionary<string, int> LostWords(Reply reply, IReadOnlyList<DiscordMessage> messages)
    {
        // Titles and field names longer than Discord allows are clipped by design.
        var expected = Words(TextClip.Clip(reply.Title, DiscordLimits.EmbedTitle) + " " + PlainText(reply.Summary) + " " + PlainText(reply.Body)
            + " " + string.Join(' ', reply.Fields.Select(field => TextClip.Clip(field.Name, DiscordLimits.FieldName) + " " + field.Value)));
        var rendered = new StringBuilder();
        foreach (var message in messages)
        {
            rendered.Append(message.Content).Append(' ');
            foreach (var embed in message.Embeds ?? [])
            {
                rendered.Append(embed.Title).Append(' ').Append(PlainText(embed.Description)).Append(' ');
                foreach (var field in embed.Fields ?? [])
                {
                    rendered.Append(field.Name).Append(' ').Append(field.Value).Append(' ');
                }
            }
        }

        var actual = Words(rendered.ToString());
        return expected
            .Where(word => actual.GetValueOrDefault(word.Key) < word.Value)
            .ToDictionary(word => word.Key, word => word.Value - actual.GetValueOrDefault(word.Key), StringComparer.Ordinal);
    }

    /// <summary>Markdown without its markup, so that <c>**L**ocal</c> counts as the word it shows.</summary>
    private static string PlainText(string? markdown) =>
        markdown is null ? "" : Markdown.ToPlainText(markdown, MarkdownDialect.Pipeline);

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
}
