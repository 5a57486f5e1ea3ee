"""The client side: a keep-alive HTTP connection, and the load tools (hey, wrk) with their parsers."""
import http.client
import re
import socket
import subprocess
import time
import urllib.parse

MANIFEST_ACCEPT = ("application/vnd.oci.image.manifest.v1+json, "
                   "application/vnd.oci.image.index.v1+json, "
                   "application/vnd.docker.distribution.manifest.v2+json, "
                   "application/vnd.docker.distribution.manifest.list.v2+json")


def loopback_hostport(url):
    """'host:port' of a http:// URL on 127.0.0.0/8; anything else is refused."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname or not parts.port:
        raise SystemExit("registry URL must look like http://127.0.0.1:PORT, got %r" % url)
    if not re.fullmatch(r"127\.\d+\.\d+\.\d+", parts.hostname):
        raise SystemExit("refusing %r: only loopback (127.x.x.x) addresses are benchmarked" % url)
    return "%s:%d" % (parts.hostname, parts.port)


class Http:
    """One keep-alive connection; reconnects after an error or a closed connection."""

    def __init__(self, hostport, timeout=30):
        self.hostport, self.timeout, self._conn = hostport, timeout, None

    def request(self, method, path, headers=None, body=None):
        """Returns (status, headers dict with lower-case names, body bytes)."""
        for attempt in (1, 2):
            if self._conn is None:
                host, port = self.hostport.rsplit(":", 1)
                self._conn = http.client.HTTPConnection(host, int(port), timeout=self.timeout)
            try:
                self._conn.request(method, path, body=body, headers=headers or {})
                resp = self._conn.getresponse()
                data = resp.read()
                hdrs = {k.lower(): v for k, v in resp.getheaders()}
                if hdrs.get("connection", "").lower() == "close":
                    self.close()
                return resp.status, hdrs, data
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def wait_ready(hostport, timeout_s):
    """Polls GET /v2/ until it answers 200; returns seconds waited, or None on timeout."""
    start = time.monotonic()
    client = Http(hostport, timeout=5)
    while time.monotonic() - start < timeout_s:
        try:
            status, _, _ = client.request("GET", "/v2/")
            if status == 200:
                client.close()
                return time.monotonic() - start
        except (OSError, http.client.HTTPException, socket.timeout):
            pass
        client.close()
        time.sleep(0.2)
    return None


def _seconds(value, unit):
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}[unit]


def run_hey(url, method, seconds, concurrency, log_path):
    """hey -z Ns -c C on `url`; returns req/s, latency percentiles (ms) and status counts."""
    cmd = ["hey", "-z", "%ds" % seconds, "-c", str(concurrency), "-m", method,
           "-A", MANIFEST_ACCEPT, url]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    with open(log_path, "w") as f:
        f.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
    out = proc.stdout
    result = {"tool": "hey", "concurrency": concurrency, "rc": proc.returncode}
    total = re.search(r"Total:\s+([\d.]+) secs", out)
    statuses = {code: int(n) for code, n in re.findall(r"\[(\d+)\]\s+(\d+) responses", out)}
    errors = sum(int(n) for n in re.findall(r"^\s+\[(\d+)\]\s+\S.*$", out.split("Error distribution:")[1],
                                            re.M)) if "Error distribution:" in out else 0
    ok = statuses.get("200", 0)
    result.update({"status": statuses, "non_200": sum(statuses.values()) - ok, "errors": errors,
                   "requests": ok})
    if total:
        result["duration_s"] = float(total.group(1))
        result["rps"] = round(ok / result["duration_s"], 1)
    for pct, secs in re.findall(r"(\d+)% in ([\d.]+) secs", out):
        if pct in ("50", "90", "99"):
            result["p%s_ms" % pct] = round(float(secs) * 1000, 2)
    return result


def run_wrk(url, seconds, connections, body_bytes, log_path):
    """wrk on one large object; MB/s = completed requests x object size / duration."""
    cmd = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", "%ds" % seconds,
           "--latency", url]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    with open(log_path, "w") as f:
        f.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
    out = proc.stdout
    result = {"tool": "wrk", "connections": connections, "rc": proc.returncode}
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", out)
    if done:
        requests, duration = int(done.group(1)), _seconds(done.group(2), done.group(3))
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        result["non_2xx_3xx"] = int(bad.group(1)) if bad else 0
        good = requests - result["non_2xx_3xx"]
        result.update({"requests": requests, "duration_s": duration,
                       "rps": round(good / duration, 1),
                       "mb_s": round(good * body_bytes / duration / 1e6, 1)})
    socket_errors = re.search(r"Socket errors: (.*)", out)
    result["socket_errors"] = socket_errors.group(1).strip() if socket_errors else ""
    for pct, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M):
        result["p%s_ms" % pct] = round(_seconds(value, unit) * 1000, 2)
    return result
