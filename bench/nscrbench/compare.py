"""Side-by-side figures of two runs (nscr first) with ratios and the project's targets."""
import json
import os

# metric, label, format, target kind, target value
#   ratio: nscr/distribution >= value;  max: nscr <= value;  nginx: nscr >= value x nginx figure
ROWS = [
    ("push_big_mb_s", "push big (MB/s)", "%.1f", "ratio", 1.5),
    ("pull_big_mb_s", "pull big (MB/s)", "%.1f", "ratio", 1.2),
    ("push_ci_images_s", "push CI images (images/s)", "%.2f", "ratio", 1.5),
    ("manifest_head_rps", "manifest HEAD (req/s)", "%.0f", "ratio", 5.0),
    ("manifest_head_p50_ms", "manifest HEAD p50 (ms)", "%.2f", None, None),
    ("manifest_head_p99_ms", "manifest HEAD p99 (ms)", "%.2f", "max", 10.0),
    ("manifest_get_rps", "manifest GET (req/s)", "%.0f", "ratio", 5.0),
    ("manifest_get_p50_ms", "manifest GET p50 (ms)", "%.2f", None, None),
    ("manifest_get_p99_ms", "manifest GET p99 (ms)", "%.2f", "max", 10.0),
    ("blob_get_mb_s", "blob GET 20 MiB (MB/s)", "%.0f", "nginx", 0.9),
    ("delete_ci_deletes_s", "delete manifests (/s)", "%.0f", None, None),
    ("peak_rss_mib", "peak RSS VmHWM (MiB)", "%.1f", "max", 128.0),
    ("rss_start_mib", "RSS at start (MiB)", "%.1f", None, None),
    ("disk_before_delete_mib", "disk before delete (MiB)", "%.1f", None, None),
    ("disk_after_delete_mib", "disk after delete (MiB)", "%.1f", None, None),
    ("disk_after_gc_mib", "disk after GC (MiB)", "%.1f", None, None),
    ("freed_pct_of_expected", "freed / CI-only bytes (%)", "%.0f", None, None),
    ("gc_s", "GC command (s)", "%.2f", None, None),
]

# the shared team harness writes JSON lines, one object per step: (step, key) for each metric
HARNESS_KEYS = {
    "push_big_mb_s": ("push_big", "mb_s"), "pull_big_mb_s": ("pull_big", "mb_s"),
    "push_ci_images_s": ("push_ci", "images_s"),
    "manifest_head_rps": ("manifest_head", "rps"), "manifest_head_p50_ms": ("manifest_head", "p50_ms"),
    "manifest_head_p99_ms": ("manifest_head", "p99_ms"),
    "manifest_get_rps": ("manifest_get", "rps"), "manifest_get_p50_ms": ("manifest_get", "p50_ms"),
    "manifest_get_p99_ms": ("manifest_get", "p99_ms"),
    "blob_get_mb_s": ("blob_get", "mb_s"), "delete_ci_deletes_s": ("delete_ci", "deletes_s"),
    "peak_rss_mib": ("registry_memory", "peak_hwm_mib"), "rss_start_mib": ("registry_memory", "rss_start_mib"),
    "disk_before_delete_mib": ("disk_before_delete", "alloc_mib"),
    "disk_after_delete_mib": ("disk_after_delete", "alloc_mib"),
    "disk_after_gc_mib": ("disk_after_gc", "alloc_mib"),
    "freed_pct_of_expected": ("reclaim", "reclaimed_pct_of_expected"), "gc_s": ("gc", "hook_s"),
    "nginx_blob_get_mb_s": ("physical_http_blob_wrk", "mb_s"),
}


def load(outdir):
    """(name, metrics, ok) of a run directory written by our workload or by the team harness."""
    path = os.path.join(outdir, "summary.json")
    if not os.path.exists(path):
        return os.path.basename(outdir), {}, False
    with open(path) as f:
        text = f.read()
    try:
        doc = json.loads(text)
        if doc.get("format") == "nscr-bench-1":
            return doc["meta"].get("name", outdir), doc["metrics"], doc.get("ok", False)
    except json.JSONDecodeError:
        pass
    steps = {}
    for line in text.splitlines():
        if line.strip():
            rec = json.loads(line)
            steps[rec.get("step")] = rec
    metrics = {m: steps.get(step, {}).get(key) for m, (step, key) in HARNESS_KEYS.items()}
    ok = all(rec.get("ok", True) for rec in steps.values())
    return steps.get("meta", {}).get("registry_name", outdir), metrics, ok


def _verdict(kind, target, ours, theirs, nginx):
    if kind is None or ours is None:
        return "", ""
    if kind == "ratio":
        if not theirs:
            return ">= %.1fx" % target, "-"
        return ">= %.1fx" % target, "met" if ours / theirs >= target else "MISSED"
    if kind == "max":
        return "<= %g" % target, "met" if ours <= target else "MISSED"
    if not nginx:
        return ">= %.1fx nginx" % target, "-"
    return ">= %.1fx nginx (%.0f)" % (target, nginx), "met" if ours >= target * nginx else "MISSED"


def compare(nscr_dir, dist_dir, nginx_dir=None):
    """Returns (text, json-able dict)."""
    a_name, a, a_ok = load(nscr_dir)
    b_name, b, b_ok = load(dist_dir)
    nginx = None
    if nginx_dir:
        nginx = load(nginx_dir)[1].get("blob_get_mb_s")
    nginx = nginx or a.get("nginx_blob_get_mb_s")
    rows, out = [], []
    header = "%-28s %12s %12s %8s  %-24s %s" % ("figure", "nscr", "distribution", "ratio", "target", "verdict")
    out += ["nscr:         %s (%s)" % (a_name, "all steps ok" if a_ok else "SOME STEPS FAILED"),
            "distribution: %s (%s)" % (b_name, "all steps ok" if b_ok else "SOME STEPS FAILED"),
            "", header, "-" * len(header)]
    for metric, label, fmt, kind, target in ROWS:
        ours, theirs = a.get(metric), b.get(metric)
        ratio = ours / theirs if ours is not None and theirs else None
        target_text, verdict = _verdict(kind, target, ours, theirs, nginx)
        rows.append({"metric": metric, "nscr": ours, "distribution": theirs, "ratio": ratio,
                     "target": target_text, "verdict": verdict})
        out.append("%-28s %12s %12s %8s  %-24s %s" % (
            label, "-" if ours is None else fmt % ours, "-" if theirs is None else fmt % theirs,
            "-" if ratio is None else "%.2fx" % ratio, target_text, verdict))
    if nginx:
        out.append("%-28s %12s" % ("nginx sendfile blob (MB/s)", "%.0f" % nginx))
    missed = [r["metric"] for r in rows if r["verdict"] == "MISSED"]
    out += ["", "ratio = nscr / distribution (for latencies and memory, lower is better).",
            "targets missed: %s" % (", ".join(missed) if missed else "none")]
    return "\n".join(out) + "\n", {"nscr": {"name": a_name, "ok": a_ok}, "distribution": {"name": b_name, "ok": b_ok},
                                   "nginx_blob_get_mb_s": nginx, "rows": rows, "targets_missed": missed}
