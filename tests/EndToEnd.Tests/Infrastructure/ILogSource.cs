namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>A server process whose captured output is printed when a test fails.</summary>
public interface ILogSource
{
    string Name { get; }

    string Log { get; }
}
