namespace Nscr.Gateway.Oci;

public static class OciEndpoints
{
    public static IServiceCollection AddOciEndpoints(this IServiceCollection services) => services
        .AddSingleton<ManifestCache>()
        .AddSingleton<UploadHashers>()
        .AddSingleton<BlobsEndpoint>()
        .AddSingleton<UploadsEndpoint>()
        .AddSingleton<ManifestsEndpoint>()
        .AddSingleton<TagsEndpoint>()
        .AddSingleton<ReferrersEndpoint>()
        .AddSingleton<CatalogEndpoint>()
        .AddSingleton<OciDispatcher>();

    public static void MapOciEndpoints(this IEndpointRouteBuilder app)
    {
        var dispatcher = app.ServiceProvider.GetRequiredService<OciDispatcher>();
        app.Map("/v2", dispatcher.DispatchAsync);
        app.Map("/v2/{**path}", dispatcher.DispatchAsync);
    }
}
