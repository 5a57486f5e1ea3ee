"""One workload run against one running, empty registry."""
import json
import os
import platform
import subprocess
import time

from . import config, steps, tools
from .run import Run, log


class Context:
    def __init__(self, url, cfg, imgs, run):
        self.url, self.cfg, self.imgs, self.run = url.rstrip("/"), cfg, imgs, run
        self.hostport = tools.loopback_hostport(url)
        self.prefix = cfg["REPO_PREFIX"]
        self.repo_ref = "%s/%s" % (self.hostport, self.prefix)
        self.http = tools.Http(self.hostport)


def _tool_versions():
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\n", "skopeo", "hey", "wrk",
                              "curl", "docker-registry", "nginx-light"], capture_output=True, text=True).stdout
        return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    except OSError:
        return {}


def _preflight(ctx):
    if tools.wait_ready(ctx.hostport, ctx.cfg["READY_TIMEOUT"]) is None:
        raise SystemExit("%s/v2/ did not answer 200 within %d s" % (ctx.url, ctx.cfg["READY_TIMEOUT"]))
    status, _, _ = ctx.http.request("HEAD", "/v2/%s/big/manifests/1" % ctx.prefix,
                                    {"Accept": tools.MANIFEST_ACCEPT})
    if status == 200 and os.environ.get("ALLOW_EXISTING") != "1":
        raise SystemExit("%s already holds %s/big:1: benchmark an empty registry "
                         "(or set ALLOW_EXISTING=1)" % (ctx.url, ctx.prefix))


def _gc(ctx, gc_cmd, pid):
    with ctx.run.step("gc") as rec:
        ctx.http.close()
        env = dict(os.environ, BENCH_REGISTRY_URL=ctx.url, BENCH_REGISTRY_DATA_DIR=ctx.run.data_dir or "",
                   BENCH_REGISTRY_PID=str(pid or ""))
        start = time.monotonic()
        # output to a file: a hook that restarts the registry must not inherit a pipe we wait on
        with open(os.path.join(ctx.run.logdir, "gc.log"), "w") as out:
            rc = subprocess.run(["bash", "-c", gc_cmd], stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env).returncode
        hook_s = time.monotonic() - start
        ready_s = tools.wait_ready(ctx.hostport, ctx.cfg["READY_TIMEOUT"])
        rec.update({"rc": rc, "gc_s": round(hook_s, 2), "ready_after_s": ready_s, "ok": rc == 0 and ready_s is not None,
                    "headline": "GC command %.2f s (rc %d); registry ready %s" % (
                        hook_s, rc, "after %.2f s" % ready_s if ready_s is not None else "NEVER")})
        ctx.run.metrics["gc_s"] = rec["gc_s"]


def _reclaim(ctx, gc_ran):
    with ctx.run.step("reclaim") as rec:
        disk = ctx.run.disk
        after = disk.get("after_gc" if gc_ran else "after_delete")
        base = ctx.imgs["ci"]["base_layer"]["digest"]
        rec["ci_base_blob_status"] = ctx.http.request("HEAD", "/v2/%s/ci/blobs/%s" % (ctx.prefix, base))[0]
        rec["big_intact"] = steps.big_intact(ctx)
        rec["ok"] = rec["big_intact"]
        head = "big image intact: %s; CI base blob HEAD %d" % (rec["big_intact"], rec["ci_base_blob_status"])
        if after and "before_delete" in disk:
            expected = steps.expected_reclaim_bytes(ctx.imgs)
            freed = disk["before_delete"]["alloc_bytes"] - after["alloc_bytes"]
            rec.update({"expected_bytes": expected, "freed_bytes": freed,
                        "freed_pct_of_expected": round(100.0 * freed / expected, 1)})
            ctx.run.metrics["freed_pct_of_expected"] = rec["freed_pct_of_expected"]
            head = "freed %.1f MiB of %.1f MiB the CI images alone use (%.0f%%)%s; %s" % (
                freed / 2**20, expected / 2**20, rec["freed_pct_of_expected"],
                "" if gc_ran else " without GC", head)
        rec["headline"] = head


def run(url, outdir, pid=None, data_dir=None, gc_cmd=None, name="unknown"):
    """Runs every step; returns True when all of them passed. Writes OUTDIR/summary.{json,txt}."""
    cfg = config.load()
    os.makedirs(outdir, exist_ok=True)
    run_ = Run(outdir, pid, data_dir)
    ctx = Context(url, cfg, None, run_)
    _preflight(ctx)
    run_.meta = {"name": name, "url": ctx.url, "pid": pid, "data_dir": data_dir, "gc_cmd": gc_cmd,
                 "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "host": platform.node(),
                 "nproc": os.cpu_count(), "load1_start": os.getloadavg()[0], "config": cfg,
                 "tools": _tool_versions()}
    with run_.step("images") as rec:
        ctx.imgs = config.ensure_images(cfg, log)
        rec["headline"] = "big %s, ci %s" % tuple("cached" if ctx.imgs["cached"][k] else "generated"
                                                  for k in ("big", "ci"))
    if ctx.imgs is None:
        run_.stop_sampler()
        print(run_.write())
        return False
    with open(os.path.join(outdir, "images.json"), "w") as f:
        json.dump({"big": ctx.imgs["big"], "ci": ctx.imgs["ci"]}, f, indent=1)
    run_.record_disk("at_start")
    for name_, fn in (("push_big", steps.push_big), ("pull_big", steps.pull_big), ("push_ci", steps.push_ci)):
        with run_.step(name_) as rec:
            fn(ctx, rec)
    for method in ("HEAD", "GET"):
        with run_.step("manifest_" + method.lower()) as rec:
            steps.manifest_load(ctx, rec, method)
    with run_.step("blob_get") as rec:
        steps.blob_get(ctx, rec)
    run_.record_disk("before_delete")
    with run_.step("delete_ci") as rec:
        steps.delete_ci(ctx, rec)
    run_.record_disk("after_delete")
    sampler = run_.stop_sampler()  # before GC: an offline GC restarts the registry under a new PID
    if sampler:
        run_.metrics["peak_rss_mib"] = round(sampler.hwm_kib / 1024, 1)
        run_.metrics["rss_start_mib"] = round(sampler.first[0] / 1024, 1) if sampler.first else None
        run_.steps.append({"step": "registry_memory", "ok": sampler.hwm_kib > 0,
                           "headline": "peak RSS (VmHWM) %.1f MiB, max sampled %.1f MiB, at start %s MiB" % (
                               sampler.hwm_kib / 1024, sampler.max_rss_kib / 1024,
                               run_.metrics["rss_start_mib"])})
    if gc_cmd:
        _gc(ctx, gc_cmd, pid)
        run_.record_disk("after_gc")
    _reclaim(ctx, bool(gc_cmd))
    ctx.http.close()
    print(run_.write(), flush=True)
    return run_.ok()
