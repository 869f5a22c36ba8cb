namespace Bot.Core;

/// <summary>The platform an interaction arrived from.</summary>
public enum Platform
{
    Terminal,
    Discord,
    Slack,
}

/// <summary>
/// Who asked, in platform-neutral terms. <paramref name="Workspace"/> is a Discord guild or a Slack
/// workspace (the terminal uses "local"); ids are the platform's own strings.
/// </summary>
/// <paramref name="DisplayName"/> is what leaderboards show; it defaults to the user id.
public sealed record Caller(Platform Platform, string Workspace, string Channel, string User, string? DisplayName = null)
{
    public string Name => string.IsNullOrWhiteSpace(DisplayName) ? User : DisplayName;
}
