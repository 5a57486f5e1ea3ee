namespace Nscr.Cli.Feeds;

/// <summary>One dispatched server-sent event: its <c>id</c> (the last one seen, as the spec keeps it), type and data.</summary>
public sealed record ServerSentEvent(string? Id, string Type, string Data);
