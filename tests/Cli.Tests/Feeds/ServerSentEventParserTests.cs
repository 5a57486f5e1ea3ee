using Nscr.Cli.Feeds;
using Xunit;

namespace Nscr.Cli.Tests.Feeds;

public sealed class ServerSentEventParserTests
{
    private static List<ServerSentEvent> Parse(ServerSentEventParser parser, params string[] lines) =>
        lines.Select(parser.Feed).OfType<ServerSentEvent>().ToList();

    [Fact]
    public void JoinsDataLinesSkipsCommentsAndKeepsIdAndType()
    {
        var parser = new ServerSentEventParser();
        var events = Parse(parser, "retry: 2000", "", ": heartbeat", "", "id: 7", "event: log", "data: {\"a\":", "data:1}", "", "data: next", "");

        Assert.Equal(2, events.Count);
        Assert.Equal(new ServerSentEvent("7", "log", "{\"a\":\n1}"), events[0]);
        // The id outlives its event; an event without a name is a "message".
        Assert.Equal(new ServerSentEvent("7", "message", "next"), events[1]);
        Assert.Equal(TimeSpan.FromSeconds(2), parser.Retry);
    }

    [Fact]
    public void ReadsFieldsAsTheSpecSays()
    {
        var parser = new ServerSentEventParser();
        var events = Parse(parser, "data", "data:  two spaces", "unknown: field", "retry: soon", "", "id", "data: x", "");

        // "data" alone is an empty line of data; only one space after the colon is dropped; unknown fields are ignored.
        Assert.Equal("\n two spaces", events[0].Data);
        Assert.Null(parser.Retry);
        Assert.Equal("", events[1].Id);
    }

    [Fact]
    public void AnIdCountsOnlyOnceItsEventIsComplete()
    {
        var parser = new ServerSentEventParser { LastEventId = "4" };
        Assert.Empty(Parse(parser, "id: 5", "data: half an event"));
        Assert.Equal("4", parser.LastEventId);

        // The connection dropped: the half event is forgotten, its id too, so the server sends it again.
        parser.Reset();
        Assert.Empty(Parse(parser, ""));
        Assert.Equal("4", parser.LastEventId);

        // An id with no data still counts at its blank line.
        Assert.Empty(Parse(parser, "id: 9", ""));
        Assert.Equal("9", parser.LastEventId);
    }
}
