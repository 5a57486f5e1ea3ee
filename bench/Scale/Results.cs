using System.Text.Json;

namespace Nscr.Scale;

/// <summary>Every result is one JSON object on one line of standard output (snake_case names).</summary>
public static class Results
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Emit(object line) => Console.Out.WriteLine(JsonSerializer.Serialize(line, Json));
}
