namespace Nscr.Silo.Configuration;

/// <summary>The configuration section every nscr setting lives in (appsettings.json "Nscr", env NSCR_*).</summary>
public static class NscrSection
{
    public const string Name = "Nscr";
}
