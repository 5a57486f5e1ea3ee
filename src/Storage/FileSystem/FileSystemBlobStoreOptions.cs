using Microsoft.Extensions.Options;

namespace Nscr.Storage.FileSystem;

/// <summary>Settings of <see cref="FileSystemBlobStore"/>.</summary>
public sealed class FileSystemBlobStoreOptions
{
    /// <summary>The registry's data dir: blobs go to <c>blobs/</c> and staged uploads to <c>uploads/</c> under it.</summary>
    public string RootDirectory { get; set; } = "";
}

/// <summary>Checks the options at start-up, without touching the disk beyond looking.</summary>
public sealed class FileSystemBlobStoreOptionsValidator : IValidateOptions<FileSystemBlobStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, FileSystemBlobStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.RootDirectory))
        {
            return ValidateOptionsResult.Fail("FileSystemBlobStoreOptions.RootDirectory (the data dir) must be set.");
        }
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(options.RootDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return ValidateOptionsResult.Fail($"FileSystemBlobStoreOptions.RootDirectory '{options.RootDirectory}' is not a valid path: {e.Message}");
        }
        if (File.Exists(fullPath))
        {
            return ValidateOptionsResult.Fail($"FileSystemBlobStoreOptions.RootDirectory '{fullPath}' is a file, not a directory.");
        }
        return ValidateOptionsResult.Success;
    }
}
