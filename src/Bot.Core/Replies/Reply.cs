namespace Bot.Core.Replies;

/// <summary>
/// A platform-neutral answer. Renderers turn it into an embed, Block Kit or terminal output and
/// split <see cref="Body"/> to their own size limits with <see cref="MarkdownSplitter"/>.
/// </summary>
public sealed record Reply
{
    public required string Title { get; init; }

    /// <summary>One or two sentences shown above the body; plain text.</summary>
    public string? Summary { get; init; }

    /// <summary>CommonMark with pipe tables; may hold fenced code blocks.</summary>
    public string Body { get; init; } = "";

    public IReadOnlyList<ReplyField> Fields { get; init; } = [];

    /// <summary>Buttons; each id is understood by <see cref="ReplyActions.Parse"/>.</summary>
    public IReadOnlyList<ReplyAction> Actions { get; init; } = [];

    public ReplyTone Tone { get; init; } = ReplyTone.Info;

    public ReplyVisibility Visibility { get; init; } = ReplyVisibility.Public;

    /// <summary>True when the reply should replace the message whose button produced it.</summary>
    public bool ReplacesOriginal { get; init; }
}

public sealed record ReplyField(string Name, string Value, bool Inline = true);

public sealed record ReplyAction(string Id, string Label);

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
