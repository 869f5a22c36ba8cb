namespace Bot.Slack.WebApi;

/// <summary>
/// The name a request goes by in the pipeline's logs and rate limits: a Web API method such as
/// <c>chat.postMessage</c>, or <see cref="SlackApiException.ResponseUrlMethod"/> (never the address, which is a secret).
/// </summary>
internal static class SlackMethod
{
    public static readonly HttpRequestOptionsKey<string> OptionsKey = new("Bot.Slack.WebApi.Method");

    public const string Unknown = "(unknown method)";

    public static string Of(HttpRequestMessage request) =>
        request.Options.TryGetValue(OptionsKey, out var method) ? method : Unknown;
}
