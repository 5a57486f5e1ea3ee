namespace Nscr.Grains.Catalog;

[GenerateSerializer]
[Alias("nscr.CatalogState")]
public sealed class CatalogState
{
    [Id(0)] public List<string> Repositories { get; set; } = [];
}
