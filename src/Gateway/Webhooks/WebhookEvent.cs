using System.Text.Json;

namespace Nscr.Gateway.Webhooks;

/// <summary>One event, serialised as a CloudEvents 1.0 structured-mode JSON document.</summary>
public sealed record WebhookEvent(string Id, string Type, string Subject, DateTimeOffset Time, Action<Utf8JsonWriter> WriteData)
{
    public const string TypePrefix = "io.nscr.";
    public const string ManifestPushed = TypePrefix + "manifest.pushed";
    public const string ManifestDeleted = TypePrefix + "manifest.deleted";
    public const string TagDeleted = TypePrefix + "tag.deleted";
    public const string RepositoryDeleted = TypePrefix + "repository.deleted";
    public const string GcCompleted = TypePrefix + "gc.completed";

    public byte[] Serialize(string source)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("specversion", "1.0");
            json.WriteString("id", Id);
            json.WriteString("source", source);
            json.WriteString("type", Type);
            json.WriteString("subject", Subject);
            json.WriteString("time", Time);
            json.WriteString("datacontenttype", "application/json");
            json.WriteStartObject("data");
            WriteData(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
