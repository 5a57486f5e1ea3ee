using Microsoft.Extensions.Logging.Abstractions;
using Nscr.Gateway.Auth.Credentials;

namespace Nscr.Gateway.Tests.Auth;

public sealed class HtpasswdTests : IDisposable
{
    // Made with `htpasswd -nbB -C 4 alice 'correct horse'` (apache2-utils): a $2y$ hash.
    private const string AliceLine = "alice:$2y$04$LVfiaLWvHgvnjgCoHvECsufMqMSX46vQOX9LXxW2knwbvNBjdAF8C";
    private readonly string directory = Path.Combine(Path.GetTempPath(), "nscr-htpasswd-tests", Guid.NewGuid().ToString("N"));

    public HtpasswdTests() => Directory.CreateDirectory(directory);

    [Fact]
    public void Parse_KeepsBcryptEntries_AndReportsOthersWithoutTheirHashes()
    {
        var file = HtpasswdFile.Parse(string.Join("\r\n",
            "# comment", AliceLine, "bob:$apr1$0YeY4Uda$G35148uzyA/a8mIAfhKyB1", "carol:{SHA}lcsL/Sl3x2EpjZYk5LTUxyo5l0o=",
            "dave:plaintext", "no-colon-line", "", $"erin:{BCrypt.Net.BCrypt.HashPassword("x", 4)}"));

        Assert.Equal(["alice", "erin"], file.Hashes.Keys.Order());
        Assert.Equal([3, 4, 5, 6], file.Problems.Select(p => p.Line));
        Assert.Equal(["bob", "carol", "dave", null], file.Problems.Select(p => p.User));
        Assert.DoesNotContain(file.Problems, p => p.Reason.Contains("apr1") || p.Reason.Contains("SHA") || p.Reason.Contains("plaintext"));
    }

    [Theory]
    [InlineData("$2a$04$LVfiaLWvHgvnjgCoHvECsufMqMSX46vQOX9LXxW2knwbvNBjdAF8C", true)]
    [InlineData("$2b$10$LVfiaLWvHgvnjgCoHvECsufMqMSX46vQOX9LXxW2knwbvNBjdAF8C", true)]
    [InlineData("$2y$04$LVfiaLWvHgvnjgCoHvECsufMqMSX46vQOX9LXxW2knwbvNBjdAF8C", true)]
    [InlineData("$2x$04$LVfiaLWvHgvnjgCoHvECsufMqMSX46vQOX9LXxW2knwbvNBjdAF8C", false)]
    [InlineData("$2y$04$short", false)]
    [InlineData("$1$abc$def", false)]
    public void IsBcrypt_AcceptsOnlyTheBcryptVariants(string hash, bool expected) => Assert.Equal(expected, HtpasswdFile.IsBcrypt(hash));

    [Fact]
    public void Verify_AcceptsAnApacheBcryptHash_AndRejectsWrongPasswordsAndUnknownUsers()
    {
        var verifier = new PasswordVerifier(Store(AliceLine), TimeProvider.System, TimeSpan.FromMinutes(1));

        Assert.True(verifier.Verify("alice", "correct horse"));
        Assert.False(verifier.Verify("alice", "correct horsE"));
        Assert.False(verifier.Verify("mallory", "correct horse"));
    }

    [Fact]
    public void Verify_RemembersSuccessesForTheCacheTime_Only()
    {
        var clock = new ManualTime();
        var verifier = new PasswordVerifier(Store(AliceLine), clock, TimeSpan.FromMinutes(1));

        Assert.False(verifier.Verify("alice", "wrong"));
        Assert.Equal(0, verifier.CachedCount);
        Assert.True(verifier.Verify("alice", "correct horse"));
        Assert.Equal(1, verifier.CachedCount);
        Assert.True(verifier.IsCached("alice", "correct horse"));
        Assert.False(verifier.IsCached("alice", "correct horsE"));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(verifier.IsCached("alice", "correct horse"));
        Assert.True(verifier.Verify("alice", "correct horse"));
    }

    [Fact]
    public async Task Store_ReloadsTheFileWhenItChanges_AndForgetsCachedPasswords()
    {
        var store = Store(AliceLine);
        var verifier = new PasswordVerifier(store, TimeProvider.System, TimeSpan.FromMinutes(1));
        Assert.True(verifier.Verify("alice", "correct horse"));

        await File.WriteAllTextAsync(Path.Combine(directory, "htpasswd"), $"bob:{BCrypt.Net.BCrypt.HashPassword("bob's", 4)}\n");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!store.Current.Hashes.ContainsKey("bob") && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(verifier.Verify("bob", "bob's"));
        Assert.False(verifier.Verify("alice", "correct horse"));
    }

    [Fact]
    public async Task Store_KeepsTheLastGoodUsers_WhenTheFileDisappears()
    {
        var store = Store(AliceLine);
        File.Delete(Path.Combine(directory, "htpasswd"));
        await Task.Delay(HtpasswdStore.CheckInterval + TimeSpan.FromMilliseconds(100)); // let a check run: it must keep alice
        Assert.True(store.Current.Hashes.ContainsKey("alice"));
    }

    [Fact]
    public void Store_RefusesToStartWithoutTheFile() =>
        Assert.Throws<FileNotFoundException>(() => new HtpasswdStore(Path.Combine(directory, "missing"), TimeProvider.System, NullLogger.Instance));

    private HtpasswdStore Store(string content)
    {
        var path = Path.Combine(directory, "htpasswd");
        File.WriteAllText(path, content + "\n");
        return new HtpasswdStore(path, TimeProvider.System, NullLogger.Instance);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualTime : TimeProvider
{
    private DateTimeOffset now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
