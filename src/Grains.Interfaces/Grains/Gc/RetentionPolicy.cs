namespace Nscr.Grains;

/// <summary>
/// The retention rules GC cycles apply, and where they come from: the configuration (<c>Nscr:Retention</c>), or the admin
/// API, whose rules are kept in the GC grain's state and replace the configured ones until reset.
/// </summary>
/// <param name="Source"><see cref="FromConfiguration"/> or <see cref="FromApi"/>.</param>
/// <param name="UpdatedAt">When the API rules were saved; null for the configuration.</param>
[GenerateSerializer, Immutable]
[Alias("nscr.RetentionPolicy")]
public sealed record RetentionPolicy(
    [property: Id(0)] string Source,
    [property: Id(1)] IReadOnlyList<RetentionRule> Rules,
    [property: Id(2)] DateTimeOffset? UpdatedAt)
{
    public const string FromConfiguration = "configuration";

    public const string FromApi = "api";
}
