namespace Bot.Core.Replies;

/// <summary>
/// A platform-neutral answer. Renderers turn it into an embed, Block Kit or terminal output and
/// split <see cref="Body"/> to their own size limits with <see cref="MarkdownSplitter"/>.
/// </summary>
public sealed record Reply
{
    public required string Title { get; init; }

    /// <summary>One or two sentences shown above the body: one paragraph of Markdown (a concept's summary is Markdown).</summary>
    public string? Summary { get; init; }

    /// <summary>CommonMark with pipe tables; may hold fenced code blocks.</summary>
    public string Body { get; init; } = "";

    public IReadOnlyList<ReplyField> Fields { get; init; } = [];

    /// <summary>Buttons; each id is understood by <see cref="ReplyActions.Parse"/>.</summary>
    public IReadOnlyList<ReplyAction> Actions { get; init; } = [];

    /// <summary>A drop-down of more choices than buttons can hold (the course, by topic), or null.</summary>
    public ReplyMenu? Menu { get; init; }

    public ReplyTone Tone { get; init; } = ReplyTone.Info;

    public ReplyVisibility Visibility { get; init; } = ReplyVisibility.Public;

    /// <summary>True when the reply should replace the message whose button produced it.</summary>
    public bool ReplacesOriginal { get; init; }
}

public sealed record ReplyField(string Name, string Value, bool Inline = true);

public sealed record ReplyAction(string Id, string Label);

/// <summary>
/// A drop-down whose every option is an action, in labelled groups. Renderers keep groups whole
/// where the platform allows: one menu with option groups on Slack, menus of whole groups on Discord.
/// </summary>
public sealed record ReplyMenu(string Placeholder, IReadOnlyList<ReplyMenuGroup> Groups);

public sealed record ReplyMenuGroup(string Label, IReadOnlyList<ReplyMenuOption> Options);

/// <summary>One choice of a menu: pressing it is pressing the action <paramref name="ActionId"/>.</summary>
/// <param name="Description">A short line under the label where the platform shows one (Discord).</param>
public sealed record ReplyMenuOption(string ActionId, string Label, string? Description = null);

public enum ReplyTone
{
    Info,
    Success,
    Warning,
    Error,
}

public enum ReplyVisibility
{
    Public,
    OnlyCaller,
}
