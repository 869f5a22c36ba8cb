namespace Bot.Core;

/// <summary>A parsed command, independent of the platform it came from.</summary>
public abstract record BotRequest;

/// <summary><c>/explain [query]</c>; an empty query lists the course.</summary>
public sealed record ExplainRequest(string Query) : BotRequest;

/// <summary><c>/help</c>.</summary>
public sealed record HelpRequest : BotRequest;
