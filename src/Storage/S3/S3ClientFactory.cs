using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Nscr.Storage.S3;

/// <summary>Builds the SDK client from <see cref="S3Options"/>.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(S3Options options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.PathStyle,
            // Checksums only where the API demands them: the store verifies digests itself, and S3-compatible
            // servers (MinIO, Ceph, s3rver) do not all accept the SDK's default trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // Uploads are streamed part by part: one slow request must not hold the client's default 100 s bound.
            Timeout = TimeSpan.FromMinutes(10),
        };
        if (string.IsNullOrWhiteSpace(options.Endpoint))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.Endpoint;
            config.AuthenticationRegion = options.Region;
        }
        var client = string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        client.BeforeRequestEvent += KeepCopySourceSlashes;
        return client;
    }

    /// <summary>
    /// The SDK percent-encodes the '/' separators of x-amz-copy-source; S3 accepts them either way, but some
    /// compatible servers (s3rver) only split on literal slashes. Runs before signing, so the signature matches.
    /// </summary>
    private static void KeepCopySourceSlashes(object sender, RequestEventArgs e)
    {
        if (e is WebServiceRequestEventArgs { Headers: { } headers } && headers.TryGetValue(CopySourceHeader, out var source))
        {
            headers[CopySourceHeader] = source.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        }
    }

    private const string CopySourceHeader = "x-amz-copy-source";
}
