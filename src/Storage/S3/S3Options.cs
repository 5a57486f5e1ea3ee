using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Nscr.Storage.S3;

/// <summary>Settings of <see cref="S3BlobStore"/>: blobs in an S3-compatible bucket (chosen when <see cref="Bucket"/> is set).</summary>
public sealed class S3Options
{
    public const string Section = "Nscr:S3";

    [Description("Bucket that holds blobs and staged uploads; setting it switches the blob store from the filesystem to S3. The bucket must exist.")]
    public string? Bucket { get; set; }

    [Description("S3 API endpoint URL (http or https), e.g. http://127.0.0.1:9000 for MinIO/s3rver; empty for AWS S3 itself (the region then picks the endpoint).")]
    public string? Endpoint { get; set; }

    [Description("Region used to sign requests (and to find the AWS endpoint when Endpoint is empty).")]
    [Required]
    public string Region { get; set; } = "us-east-1";

    [Description("Access key id; with SecretKey. Both empty: the AWS SDK's default credential chain (environment, profile, instance role).")]
    public string? AccessKey { get; set; }

    [Description("Secret access key; with AccessKey. Never logged.")]
    public string? SecretKey { get; set; }

    [Description("Path-style addressing (http://host/bucket/key) instead of virtual-hosted style (http://bucket.host/key); most self-hosted servers need true.")]
    public bool PathStyle { get; set; }

    [Description("Optional key prefix (folder) inside the bucket, so several registries can share one bucket: blobs go to <prefix>/blobs/, uploads to <prefix>/uploads/.")]
    [RegularExpression(@"^(?!(.*/)?\.{1,2}(/|$))[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/?$",
        ErrorMessage = "Prefix may hold only letters, digits, '_', '.', '-' and '/' between segments (no '.' or '..' segments).")]
    public string? Prefix { get; set; }

    /// <summary>True when S3 is configured (the bucket is the switch).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Bucket);

    /// <summary>The prefix as keys use it: empty, or "segment/…/" with one trailing slash.</summary>
    internal string KeyPrefix => string.IsNullOrWhiteSpace(Prefix) ? "" : Prefix.Trim('/') + "/";
}
