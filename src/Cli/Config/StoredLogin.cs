using System.Text.Json;
using System.Text.Json.Serialization;
using Nscr.Cli.CommandLine;

namespace Nscr.Cli.Config;

/// <summary>What <c>nscr login</c> stores: the registry URL and, when given, the credentials for it.</summary>
public sealed record StoredLogin(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password);

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredLogin))]
internal sealed partial class StoredLoginJsonContext : JsonSerializerContext;

/// <summary>
/// <c>config.json</c> in the user's config directory (<see cref="CliHost.ConfigDirectory"/>): the directory is created
/// with mode 700 and the file with mode 600 (it holds a password), written to a temporary file then renamed, so a
/// reader never sees half a file and the secret is never readable by others, not even briefly.
/// </summary>
public sealed class LoginStore(string directory)
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string FilePath { get; } = Path.Combine(directory, "config.json");

    public StoredLogin? Load()
    {
        if (!File.Exists(FilePath)) return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FilePath), StoredLoginJsonContext.Default.StoredLogin);
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Failed, $"{FilePath} is not valid JSON ({e.Message}); fix it or run nscr logout");
        }
    }

    public void Save(StoredLogin login)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, PrivateDirectory);
            File.SetUnixFileMode(directory, PrivateDirectory);
        }
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFile;
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, login, StoredLoginJsonContext.Default.StoredLogin);
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, PrivateFile);
        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>Removes the stored login; false when there was none.</summary>
    public bool Delete()
    {
        if (!File.Exists(FilePath)) return false;
        File.Delete(FilePath);
        return true;
    }
}
