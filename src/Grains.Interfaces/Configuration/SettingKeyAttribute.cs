namespace Nscr.Configuration;

/// <summary>
/// The full configuration key of a setting its options class reads from outside the class's own section (GcOptions'
/// UploadTimeout is "Nscr:UploadTimeout", not "Nscr:Gc:UploadTimeout"); the configuration reference uses it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}
