using System.Diagnostics;
using System.Net;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>A wrong password of a real user and any password of an unknown user take the same time over HTTP.</summary>
public sealed class UserEnumerationTimingTests(AuthRegistry auth) : IClassFixture<AuthRegistry>
{
    private const int Tries = 25;

    [Fact]
    public async Task Unknown_user_takes_as_long_as_a_wrong_password()
    {
        using var http = auth.CreateHttp();
        // Warm up connection and JIT on both paths first.
        await TimeAsync(http, "reader", 3);
        await TimeAsync(http, "nobody-here", 3);
        var wrongPassword = await TimeAsync(http, "reader", Tries);
        var unknownUser = await TimeAsync(http, "nobody-here", Tries);
        var ratio = Math.Max(wrongPassword, unknownUser) / Math.Min(wrongPassword, unknownUser);
        Assert.True(ratio < 3, $"median wrong password {wrongPassword:F2} ms, unknown user {unknownUser:F2} ms");
    }

    [Fact]
    public void Dummy_hash_has_the_cost_most_hashes_in_the_file_use()
    {
        var file = Nscr.Gateway.Auth.Credentials.HtpasswdFile.Parse(string.Join('\n',
            $"a:{BCrypt.Net.BCrypt.HashPassword("a", 4)}", $"b:{BCrypt.Net.BCrypt.HashPassword("b", 5)}", $"c:{BCrypt.Net.BCrypt.HashPassword("c", 5)}"));
        Assert.Equal("05", file.DummyHash[4..6]);
        Assert.Equal("10", Nscr.Gateway.Auth.Credentials.HtpasswdFile.Parse("").DummyHash[4..6]);
    }

    private async Task<double> TimeAsync(HttpClient http, string user, int tries)
    {
        var times = new List<double>(tries);
        for (var i = 0; i < tries; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/");
            request.Headers.Authorization = auth.Basic(user, $"wrong-{i}");
            var clock = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            clock.Stop();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
