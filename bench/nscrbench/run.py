"""Bookkeeping of one workload run: steps with their CPU/RSS figures, disk usage, the output files."""
import contextlib
import json
import os
import sys
import time
import traceback

from . import procstat


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


def disk_usage(path):
    """Allocated bytes, apparent bytes and file count under `path` (like du, hard links once)."""
    seen, alloc, apparent, files = set(), 0, 0, 0
    for root, dirs, names in os.walk(path):
        for name in names:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue  # removed while we walked
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            alloc += st.st_blocks * 512
            apparent += st.st_size
            files += 1
    return {"alloc_bytes": alloc, "apparent_bytes": apparent, "files": files,
            "alloc_mib": round(alloc / 2**20, 1)}


class Run:
    """Collects step records and writes OUTDIR/summary.json and summary.txt."""

    def __init__(self, outdir, pid, data_dir):
        self.outdir, self.pid, self.data_dir = outdir, pid, data_dir
        self.logdir = os.path.join(outdir, "logs")
        os.makedirs(self.logdir, exist_ok=True)
        self.meta, self.steps, self.metrics, self.disk = {}, [], {}, {}
        self.sampler = None
        if pid:
            self.sampler = procstat.RssSampler(pid, os.path.join(outdir, "rss.tsv"))
            self.sampler.start()

    @contextlib.contextmanager
    def step(self, name):
        """Times a step; an exception marks it failed and the run goes on with the next one."""
        log("step %s" % name)
        rec = {"step": name, "ok": True}
        meter = procstat.CpuMeter(self.pid)
        sampling = self.sampler is not None and self.sampler.is_alive()
        if sampling:
            self.sampler.take_window_max_mib()
        try:
            yield rec
        except Exception as exc:  # a failed step is a result, not the end of the run
            rec.update({"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)})
            with open(os.path.join(self.logdir, "errors.log"), "a") as f:
                f.write("== %s\n%s\n" % (name, traceback.format_exc()))
            log("step %s failed: %s" % (name, rec["error"]))
        rec.update(meter.stop())
        if sampling:
            rec["rss_max_mib"] = self.sampler.take_window_max_mib()
        rec.setdefault("headline", rec.get("error", ""))
        self.steps.append(rec)

    def record_disk(self, label):
        if self.data_dir and os.path.isdir(self.data_dir):
            self.disk[label] = disk_usage(self.data_dir)
            self.metrics["disk_%s_mib" % label] = self.disk[label]["alloc_mib"]

    def stop_sampler(self):
        if self.sampler and self.sampler.is_alive():
            self.sampler.stop()
        return self.sampler

    def ok(self):
        return all(s["ok"] for s in self.steps)

    def write(self):
        summary = {"format": "nscr-bench-1", "meta": self.meta, "metrics": self.metrics,
                   "steps": self.steps, "disk": self.disk, "ok": self.ok()}
        with open(os.path.join(self.outdir, "summary.json"), "w") as f:
            json.dump(summary, f, indent=1)
        text = self.table()
        with open(os.path.join(self.outdir, "summary.txt"), "w") as f:
            f.write(text)
        return text

    def table(self):
        lines = ["registry: %s at %s (pid %s)" % (self.meta.get("name"), self.meta.get("url"),
                                                   self.meta.get("pid")),
                 "%-16s %-4s %7s %7s %7s %7s %8s  %s" % ("step", "ok", "wall s", "reg CPU", "cli CPU",
                                                         "bg CPU", "RSS MiB", "result")]
        lines.append("-" * 96)

        def fmt(v, spec="%.2f"):
            return "-" if v is None else spec % v

        for s in self.steps:
            lines.append("%-16s %-4s %7s %7s %7s %7s %8s  %s" % (
                s["step"], "yes" if s["ok"] else "NO", fmt(s.get("wall_s")), fmt(s.get("registry_cpu_s")),
                fmt(s.get("client_cpu_s")), fmt(s.get("bg_cpu_s")), fmt(s.get("rss_max_mib"), "%.1f"),
                s.get("headline", "")))
        if self.disk:
            lines.append("")
            lines.append("data dir: " + ", ".join("%s %.1f MiB/%d files" % (k, v["alloc_mib"], v["files"])
                                                  for k, v in self.disk.items()))
        lines.append("")
        lines.append("CPU columns: CPU-seconds in the step of the registry process, of this client and "
                     "its tools, and of everything else on the machine (noise).")
        return "\n".join(lines) + "\n"
