"""The ceiling for blob GETs: nginx (sendfile) serving the same 20 MiB layer file on loopback."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from . import config, images, tools
from .run import log

CONF = """\
{user}worker_processes auto;
daemon off;
master_process on;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    types {{ }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/www;
    }}
}}
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(port, deadline_s):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def run(outdir):
    """Measures nginx with the same wrk shape as the registries' blob_get; writes OUTDIR/summary.json."""
    cfg = config.load()
    imgs = config.ensure_images(cfg, log)
    base = imgs["ci"]["base_layer"]
    os.makedirs(os.path.join(outdir, "logs"), exist_ok=True)
    prefix = tempfile.mkdtemp(prefix="nscr-bench-nginx-", dir="/var/tmp")
    proc = None
    try:
        os.chmod(prefix, 0o755)  # workers may run as another user
        for sub in ("www", "tmp"):
            os.makedirs(os.path.join(prefix, sub))
        www_file = os.path.join(prefix, "www", "blob")
        try:
            os.link(images.blob_path(imgs["ci_path"], base["digest"]), www_file)
        except OSError:
            shutil.copyfile(images.blob_path(imgs["ci_path"], base["digest"]), www_file)
        port = _free_port()
        user = "user root;\n" if os.geteuid() == 0 else ""
        with open(os.path.join(prefix, "nginx.conf"), "w") as f:
            f.write(CONF.format(user=user, prefix=prefix, port=port))
        proc = subprocess.Popen(["nginx", "-p", prefix, "-c", os.path.join(prefix, "nginx.conf")],
                                stdout=subprocess.DEVNULL, stderr=open(os.path.join(outdir, "logs", "nginx.log"), "w"),
                                stdin=subprocess.DEVNULL)
        if not _wait_listening(port, 10):
            raise SystemExit("nginx did not listen on 127.0.0.1:%d (see %s/logs/nginx.log)" % (port, outdir))
        url = "http://127.0.0.1:%d/blob" % port
        log("nginx sendfile baseline on %s" % url)
        result = tools.run_wrk(url, cfg["BLOB_SECONDS"], cfg["BLOB_CONNECTIONS"], base["size"],
                               os.path.join(outdir, "logs", "wrk_nginx_blob.txt"))
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGQUIT)  # graceful stop of master and workers
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(prefix, ignore_errors=True)
    ok = result["rc"] == 0 and result.get("non_2xx_3xx") == 0 and result.get("mb_s", 0) > 0
    summary = {"format": "nscr-bench-1", "meta": {"name": "nginx sendfile", "what": "wrk on the CI base layer"},
               "metrics": {"blob_get_mb_s": result.get("mb_s"), "blob_get_rps": result.get("rps")},
               "steps": [dict(result, step="nginx_blob_get", ok=ok)], "ok": ok}
    with open(os.path.join(outdir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    line = "nginx sendfile blob GET: %s MB/s, %s req/s (wrk c=%d, p50 %s ms)" % (
        result.get("mb_s"), result.get("rps"), cfg["BLOB_CONNECTIONS"], result.get("p50_ms"))
    with open(os.path.join(outdir, "summary.txt"), "w") as f:
        f.write(line + "\n")
    print(line, flush=True)
    return ok
