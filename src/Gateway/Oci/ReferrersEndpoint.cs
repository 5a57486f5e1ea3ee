using Nscr.Gateway.Oci.Http;
using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Oci;

/// <summary><c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>: an OCI index of the manifests whose subject is that digest.</summary>
public sealed class ReferrersEndpoint(IGrainFactory grains)
{
    public async Task ListAsync(HttpContext context, OciRoute route)
    {
        var subject = Digest.Parse(route.Argument);
        var filter = OciQuery.Of(context).ArtifactType is { Length: > 0 } artifactType ? artifactType : null;
        var referrers = await grains.GetGrain<IRepositoryGrain>(route.Name).ReferrersAsync(subject, filter);
        if (filter is not null) context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        await OciResponses.WriteJsonAsync(context, MediaTypes.OciIndex, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciIndex);
            json.WriteStartArray("manifests");
            foreach (var descriptor in referrers)
            {
                json.WriteStartObject();
                json.WriteString("mediaType", descriptor.MediaType);
                json.WriteString("digest", descriptor.Digest.ToString());
                json.WriteNumber("size", descriptor.Size);
                if (descriptor.ArtifactType is { } type) json.WriteString("artifactType", type);
                if (descriptor.Annotations is { Count: > 0 } annotations)
                {
                    json.WriteStartObject("annotations");
                    foreach (var (key, value) in annotations) json.WriteString(key, value);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
