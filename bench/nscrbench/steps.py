"""The workload's measured steps, in the order they run against one registry."""
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time

from . import images as img
from . import tools


def _skopeo(args, log_path):
    start = time.monotonic()
    with open(log_path, "a") as f:
        f.write("$ skopeo %s\n" % " ".join(args))
        f.flush()
        rc = subprocess.run(["skopeo"] + args, stdout=f, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL).returncode
    return rc, time.monotonic() - start


def _pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else None


def push_big(ctx, rec):
    image = ctx.imgs["big"]["images"][0]
    size = img.image_bytes(image)
    rc, secs = _skopeo(["copy", "--quiet", "--preserve-digests", "--dest-tls-verify=false",
                        "oci:%s:1" % ctx.imgs["big_path"], "docker://%s/big:1" % ctx.repo_ref],
                       os.path.join(ctx.run.logdir, "push_big.log"))
    status, headers, _ = ctx.http.request("HEAD", "/v2/%s/big/manifests/1" % ctx.prefix,
                                          {"Accept": tools.MANIFEST_ACCEPT})
    preserved = headers.get("docker-content-digest") == image["manifest"]
    mb_s = size / secs / 1e6
    rec.update({"rc": rc, "bytes": size, "seconds": round(secs, 3), "mb_s": round(mb_s, 1),
                "digest_preserved": preserved, "ok": rc == 0 and status == 200 and preserved,
                "headline": "%.1f MB/s (%.0f MB in %.2f s)%s" % (
                    mb_s, size / 1e6, secs, "" if preserved else ", manifest digest NOT preserved")})
    ctx.run.metrics["push_big_mb_s"] = rec["mb_s"]


def pull_big(ctx, rec):
    image = ctx.imgs["big"]["images"][0]
    size = img.image_bytes(image)
    dest = tempfile.mkdtemp(prefix="nscr-bench-pull-", dir=ctx.cfg["PULL_DIR"])
    try:
        rc, secs = _skopeo(["copy", "--quiet", "--preserve-digests", "--src-tls-verify=false",
                            "docker://%s/big:1" % ctx.repo_ref, "oci:%s:1" % dest],
                           os.path.join(ctx.run.logdir, "pull_big.log"))
        complete = all(os.path.exists(img.blob_path(dest, layer["digest"])) for layer in image["layers"])
    finally:
        shutil.rmtree(dest, ignore_errors=True)
    mb_s = size / secs / 1e6
    rec.update({"rc": rc, "bytes": size, "seconds": round(secs, 3), "mb_s": round(mb_s, 1),
                "layers_present": complete, "ok": rc == 0 and complete,
                "headline": "%.1f MB/s (%.0f MB in %.2f s)" % (mb_s, size / 1e6, secs)})
    ctx.run.metrics["pull_big_mb_s"] = rec["mb_s"]


def push_ci(ctx, rec):
    tags = [i["tag"] for i in ctx.imgs["ci"]["images"]]
    logdir = os.path.join(ctx.run.logdir, "push_ci")
    os.makedirs(logdir, exist_ok=True)

    def push(tag):
        return tag, *_skopeo(["copy", "--quiet", "--preserve-digests", "--dest-tls-verify=false",
                              "oci:%s:%s" % (ctx.imgs["ci_path"], tag),
                              "docker://%s/ci:%s" % (ctx.repo_ref, tag)],
                             os.path.join(logdir, tag + ".log"))

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(ctx.cfg["CI_CONCURRENCY"]) as pool:
        results = list(pool.map(push, tags))
    wall = time.monotonic() - start
    with open(os.path.join(ctx.run.logdir, "push_ci.tsv"), "w") as f:
        f.write("tag\trc\tseconds\n")
        f.writelines("%s\t%d\t%.3f\n" % r for r in results)
    failed = [tag for tag, rc, _ in results if rc != 0]
    ok_count = len(results) - len(failed)
    latencies = [secs for _, rc, secs in results if rc == 0]
    rec.update({"images": len(tags), "failed": len(failed), "first_failures": failed[:5],
                "concurrency": ctx.cfg["CI_CONCURRENCY"], "seconds": round(wall, 2),
                "images_s": round(ok_count / wall, 2), "p50_s": _pct(latencies, 0.5),
                "p95_s": _pct(latencies, 0.95), "ok": not failed,
                "headline": "%.2f images/s (%d ok, %d failed, c=%d, %.1f s; p50 %.2f s/image)" % (
                    ok_count / wall, ok_count, len(failed), ctx.cfg["CI_CONCURRENCY"], wall,
                    _pct(latencies, 0.5) or 0)})
    ctx.run.metrics["push_ci_images_s"] = rec["images_s"]


def manifest_load(ctx, rec, method):
    url = "%s/v2/%s/big/manifests/1" % (ctx.url, ctx.prefix)
    result = tools.run_hey(url, method, ctx.cfg["HEY_SECONDS"], ctx.cfg["HEY_CONCURRENCY"],
                           os.path.join(ctx.run.logdir, "hey_manifest_%s.txt" % method.lower()))
    rec.update(result)
    rec["ok"] = result["rc"] == 0 and result.get("rps", 0) > 0 and result["non_200"] == 0 \
        and result["errors"] == 0
    rec["headline"] = "%s req/s (c=%d, p50 %s ms, p99 %s ms, non-200 %d, errors %d)" % (
        result.get("rps"), result["concurrency"], result.get("p50_ms"), result.get("p99_ms"),
        result["non_200"], result["errors"])
    key = "manifest_%s" % method.lower()
    for field in ("rps", "p50_ms", "p99_ms"):
        ctx.run.metrics["%s_%s" % (key, field)] = result.get(field)


def blob_get(ctx, rec):
    base = ctx.imgs["ci"]["base_layer"]
    path = "/v2/%s/ci/blobs/%s" % (ctx.prefix, base["digest"])
    status, headers, body = ctx.http.request("GET", path)
    if status != 200:
        raise RuntimeError("GET %s answered %d (location %s); wrk does not follow redirects"
                           % (path, status, headers.get("location")))
    if "sha256:" + hashlib.sha256(body).hexdigest() != base["digest"]:
        raise RuntimeError("GET %s returned bytes that do not match the digest" % path)
    result = tools.run_wrk(ctx.url + path, ctx.cfg["BLOB_SECONDS"], ctx.cfg["BLOB_CONNECTIONS"],
                           base["size"], os.path.join(ctx.run.logdir, "wrk_blob.txt"))
    rec.update(result)
    rec["blob_bytes"] = base["size"]
    rec["ok"] = result["rc"] == 0 and result.get("non_2xx_3xx") == 0 and result.get("mb_s", 0) > 0
    rec["headline"] = "%s MB/s, %s req/s (wrk c=%d, p50 %s ms, p99 %s ms)" % (
        result.get("mb_s"), result.get("rps"), result["connections"], result.get("p50_ms"),
        result.get("p99_ms"))
    ctx.run.metrics["blob_get_mb_s"] = result.get("mb_s")
    ctx.run.metrics["blob_get_rps"] = result.get("rps")


def delete_ci(ctx, rec):
    """DELETE every CI manifest by digest, sequentially on one keep-alive connection."""
    statuses, latencies = {}, []
    start = time.monotonic()
    for image in ctx.imgs["ci"]["images"]:
        t = time.monotonic()
        status, _, _ = ctx.http.request("DELETE", "/v2/%s/ci/manifests/%s" % (ctx.prefix, image["manifest"]))
        latencies.append(time.monotonic() - t)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    wall = time.monotonic() - start
    count = len(ctx.imgs["ci"]["images"])
    accepted = statuses.get("202", 0)
    tags_status, _, tags_body = ctx.http.request("GET", "/v2/%s/ci/tags/list" % ctx.prefix)
    tags_left = 0
    if tags_status == 200:
        tags_left = len(json.loads(tags_body or b"{}").get("tags") or [])
    rec.update({"manifests": count, "status": statuses, "seconds": round(wall, 3),
                "deletes_s": round(accepted / wall, 1), "p50_ms": round(_pct(latencies, 0.5) * 1000, 2),
                "p99_ms": round(_pct(latencies, 0.99) * 1000, 2), "tags_list_status": tags_status,
                "tags_left": tags_left, "ok": accepted == count and tags_left == 0,
                "headline": "%.0f deletes/s (status %s), tags left %d (tags/list %d)" % (
                    accepted / wall, statuses, tags_left, tags_status)})
    ctx.run.metrics["delete_ci_deletes_s"] = rec["deletes_s"]


def expected_reclaim_bytes(imgs):
    """Bytes only the CI images use: shared base once, unique layers, configs, manifests."""
    big_blobs = {d["digest"] for d in imgs["big"]["images"][0]["layers"]}
    blobs = {}
    for image in imgs["ci"]["images"]:
        for d in image["layers"] + [image["config"]]:
            if d["digest"] not in big_blobs:
                blobs[d["digest"]] = d["size"]
        blobs[image["manifest"]] = image["manifest_size"]
    return sum(blobs.values())


def big_intact(ctx):
    """HEAD of the big image's manifest and every blob it references all answer 200."""
    image = ctx.imgs["big"]["images"][0]
    status, _, _ = ctx.http.request("HEAD", "/v2/%s/big/manifests/1" % ctx.prefix,
                                    {"Accept": tools.MANIFEST_ACCEPT})
    blobs = [d["digest"] for d in image["layers"]] + [image["config"]["digest"]]
    return status == 200 and all(
        ctx.http.request("HEAD", "/v2/%s/big/blobs/%s" % (ctx.prefix, d))[0] == 200 for d in blobs)
