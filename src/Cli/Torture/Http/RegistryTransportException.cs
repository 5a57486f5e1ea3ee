namespace Nscr.Cli.Torture.Http;

/// <summary>No answer at all: connection refused or reset, or no response within the request timeout.</summary>
public sealed class RegistryTransportException(string operation, Exception inner)
    : Exception($"{operation}: no answer ({inner.GetType().Name}: {inner.Message})", inner)
{
    public string Operation { get; } = operation;
}
