using Microsoft.AspNetCore.Http.Features;
using Nscr.Gateway.Logging;
using Nscr.Gateway.Oci;
using Nscr.Oci;

namespace Nscr.Gateway.Security;

/// <summary>
/// Rejects request targets no registry client sends: dot segments (<c>/../</c>, <c>/./</c>, also as <c>%2e</c>),
/// encoded slashes and backslashes (<c>%2F</c>, <c>%5C</c>, <c>\</c>), malformed escapes and NUL (<c>%00</c>; Kestrel itself already answers a bare 400 to a decoded NUL). Kestrel would resolve
/// <c>a/../b</c> to <c>b</c> before routing, so a name checked by a proxy or a log reader is not the name served;
/// answering 400 NAME_INVALID keeps the path a client sent and the path we act on the same. Nothing here touches
/// storage: names, digests and upload ids are validated again by their own grammars.
/// </summary>
public sealed class RawTargetGuard(RequestDelegate next, ILogger<RawTargetGuard> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (target is null || IsAcceptable(target)) return next(context);
        Log.HostileTarget(logger, context.Request.Method, Describe(target));
        context.Response.Headers[OciResponses.ApiVersionHeader] = "registry/2.0";
        return OciResponses.WriteErrorAsync(context, OciErrorCode.NameInvalid,
            "the request path holds a dot segment, an encoded slash or backslash, or NUL");
    }

    /// <summary>False when the path part of <paramref name="rawTarget"/> holds a forbidden segment or encoding.</summary>
    public static bool IsAcceptable(string rawTarget)
    {
        var query = rawTarget.IndexOf('?');
        var path = query >= 0 ? rawTarget.AsSpan(0, query) : rawTarget.AsSpan();
        // The common case: no escape, no backslash, no segment starting with a dot.
        if (path.IndexOfAny('%', '\\') < 0 && path.IndexOf("/.", StringComparison.Ordinal) < 0 && !path.StartsWith('.')) return true;
        if (path.IndexOf('\\') >= 0) return false;
        var segmentStart = 0;
        var dots = 0;
        var others = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                if (dots is 1 or 2 && others == 0 && i > segmentStart) return false;
                (segmentStart, dots, others) = (i + 1, 0, 0);
                continue;
            }
            if (path[i] == '.')
            {
                dots++;
                continue;
            }
            if (path[i] == '%')
            {
                // A '%' not followed by two hex digits is malformed: no client sends it, and skipping it could hide
                // the escape after it.
                if (i + 2 >= path.Length || !char.IsAsciiHexDigit(path[i + 1]) || !char.IsAsciiHexDigit(path[i + 2])) return false;
                var escaped = path.Slice(i + 1, 2);
                i += 2;
                if (escaped.Equals("2e", StringComparison.OrdinalIgnoreCase))
                {
                    dots++;
                    continue;
                }
                if (escaped.Equals("2f", StringComparison.OrdinalIgnoreCase)
                    || escaped.Equals("5c", StringComparison.OrdinalIgnoreCase)
                    || escaped.SequenceEqual("00")) return false;
            }
            others++;
        }
        return true;
    }

    /// <summary>The path only (a query string may carry something private), shortened.</summary>
    private static string Describe(string target)
    {
        var query = target.IndexOf('?');
        var path = query >= 0 ? target[..query] : target;
        return path.Length <= 200 ? path : path[..200] + "…";
    }
}
