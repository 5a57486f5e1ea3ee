using System.Buffers.Text;
using System.Text;
using Nscr.Gateway.Auth;
using Nscr.Gateway.Auth.Tokens;

namespace Nscr.Gateway.Tests.Auth;

public sealed class RegistryTokenTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "nscr-token-tests", Guid.NewGuid().ToString("N"));
    private readonly SigningKey key;
    private readonly AuthOptions options = new() { Service = "nscr", Issuer = "nscr", TokenLifetime = "5m" };

    public RegistryTokenTests()
    {
        key = SigningKey.LoadOrCreate(Path.Combine(directory, "key.pem"));
    }

    private static readonly TokenAccess[] PullPushOnApp = [new(TokenAccess.RepositoryType, "team/app", RepositoryActions.Pull | RepositoryActions.Push)];

    [Fact]
    public void AnIssuedToken_VerifiesWithItsGrants()
    {
        var tokens = new RegistryTokens(key, options, TimeProvider.System);
        var verified = tokens.Verify(tokens.Issue("writer", PullPushOnApp).Token);

        Assert.NotNull(verified);
        Assert.Equal("writer", verified.Subject);
        Assert.Equal(RepositoryActions.Pull | RepositoryActions.Push, verified.ActionsOn("team/app"));
        Assert.Equal(RepositoryActions.None, verified.ActionsOn("team/other"));
        Assert.False(verified.GrantsCatalog);
    }

    [Fact]
    public void TheKeyFile_IsCreatedOwnerOnly_AndReloadsToTheSameKey()
    {
        var path = Path.Combine(directory, "key.pem");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var again = SigningKey.LoadOrCreate(path);
        var token = new RegistryTokens(key, options, TimeProvider.System).Issue("u", PullPushOnApp).Token;
        Assert.NotNull(new RegistryTokens(again, options, TimeProvider.System).Verify(token));
    }

    [Fact]
    public void AnExpiredToken_IsRejected_PastTheSkew()
    {
        var token = new RegistryTokens(key, options, new ShiftedTime(-TimeSpan.FromMinutes(6))).Issue("u", PullPushOnApp).Token;
        Assert.Null(new RegistryTokens(key, options, TimeProvider.System).Verify(token));
        var barely = new RegistryTokens(key, options, new ShiftedTime(-TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10))).Issue("u", PullPushOnApp).Token;
        Assert.NotNull(new RegistryTokens(key, options, TimeProvider.System).Verify(barely));
    }

    [Fact]
    public void ATokenNotYetValid_IsRejected()
    {
        var token = new RegistryTokens(key, options, new ShiftedTime(TimeSpan.FromMinutes(2))).Issue("u", PullPushOnApp).Token;
        Assert.Null(new RegistryTokens(key, options, TimeProvider.System).Verify(token));
    }

    [Fact]
    public void ATokenSignedByAnotherKey_IsRejected()
    {
        using var other = SigningKey.LoadOrCreate(Path.Combine(directory, "other.pem"));
        var token = new RegistryTokens(other, options, TimeProvider.System).Issue("admin", PullPushOnApp).Token;
        Assert.Null(new RegistryTokens(key, options, TimeProvider.System).Verify(token));
    }

    [Fact]
    public void ATamperedPayload_IsRejected()
    {
        var tokens = new RegistryTokens(key, options, TimeProvider.System);
        var token = tokens.Issue("reader", [new(TokenAccess.RepositoryType, "team/app", RepositoryActions.Pull)]).Token;
        Assert.Null(tokens.Verify(MatrixIdentities.Tamper(token, ["team/app"])));
    }

    [Fact]
    public void AlgNone_IsRejected()
    {
        var tokens = new RegistryTokens(key, options, TimeProvider.System);
        var parts = tokens.Issue("admin", PullPushOnApp).Token.Split('.');
        var none = Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8);
        Assert.Null(tokens.Verify($"{none}.{parts[1]}."));
        Assert.Null(tokens.Verify($"{none}.{parts[1]}.{parts[2]}"));
        var hs256 = Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
        Assert.Null(tokens.Verify($"{hs256}.{parts[1]}.{parts[2]}"));
    }

    [Fact]
    public void ATokenForAnotherServiceOrIssuer_IsRejected()
    {
        var mine = new RegistryTokens(key, options, TimeProvider.System);
        var otherService = new RegistryTokens(key, new AuthOptions { Service = "elsewhere", Issuer = "nscr" }, TimeProvider.System).Issue("u", PullPushOnApp).Token;
        var otherIssuer = new RegistryTokens(key, new AuthOptions { Service = "nscr", Issuer = "someone" }, TimeProvider.System).Issue("u", PullPushOnApp).Token;
        Assert.Null(mine.Verify(otherService));
        Assert.Null(mine.Verify(otherIssuer));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.???.###")]
    [InlineData("e30.e30.AAAA")]
    public void Garbage_IsRejected(string token) => Assert.Null(new RegistryTokens(key, options, TimeProvider.System).Verify(token));

    [Fact]
    public void Scopes_AreParsed_WithColonsInNamesAndSeveralEntries()
    {
        var entries = TokenAccess.ParseScope("repository:team/app:pull,push registry:catalog:* repository:host:5000/x:pull bad").ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal(("repository", "team/app"), (entries[0].Type, entries[0].Name));
        Assert.Equal(["pull", "push"], entries[0].Actions);
        Assert.Equal("host:5000/x", entries[2].Name);
    }

    public void Dispose()
    {
        key.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
