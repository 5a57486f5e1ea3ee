using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>DELETE /api/repositories/&lt;name&gt;</c>: 202 once every tag and manifest is gone and the repository has left the
/// catalog; its blob links are removed and the bytes nobody else uses go at the next GC cycle.
/// </summary>
public sealed class RepositoriesEndpoint(IGrainFactory grains)
{
    public async Task DeleteAsync(HttpContext context)
    {
        var name = context.Request.RouteValues["name"] as string ?? "";
        RepositoryName.Validate(name);
        var deletion = await grains.GetGrain<IRepositoryGrain>(name).DeleteRepositoryAsync()
            ?? throw new OciException(OciErrorCode.NameUnknown, $"repository {name} is not known", name);
        // Links that the repository could not name (blobs uploaded there but used by no manifest) go at the next cycle.
        await grains.GetGrain<IGarbageCollectorGrain>(0).ForgetRepositoryAsync(name);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status202Accepted, json =>
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteNumber("deletedManifests", deletion.Manifests);
            json.WriteNumber("deletedTags", deletion.Tags);
            json.WriteNumber("unlinkedBlobs", deletion.UnlinkedBlobs);
            json.WriteEndObject();
        });
    }
}
