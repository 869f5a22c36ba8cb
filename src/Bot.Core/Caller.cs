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
public sealed record Caller(Platform Platform, string Workspace, string Channel, string User);
