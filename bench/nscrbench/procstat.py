"""CPU and memory figures from /proc: the registry process, this client, the whole machine."""
import os
import resource
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu_s(pid):
    """utime + stime of process `pid` (all its threads), or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, ValueError, IndexError):
        return None


def proc_mem_kib(pid):
    """(VmRSS, VmHWM) in KiB, or None when the process is gone."""
    try:
        values = {}
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    values[key] = int(value.split()[0])
        return values.get("VmRSS", 0), values.get("VmHWM", 0)
    except (OSError, ValueError):
        return None


def machine_busy_s():
    """CPU-seconds all cores spent not idle since boot (steal excluded: not ours to use)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq = v[:7]
    return (user + nice + system + irq + softirq) / TICK


def client_cpu_s():
    """CPU-seconds of this process and the tools it has waited for (skopeo, hey, wrk, curl)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class CpuMeter:
    """Splits the machine's busy CPU during an interval into registry, client and background."""

    def __init__(self, pid):
        self.pid = pid
        self._start = self._read()

    def _read(self):
        reg = proc_cpu_s(self.pid) if self.pid else None
        return time.monotonic(), reg, client_cpu_s(), machine_busy_s()

    def stop(self):
        end = self._read()
        wall = end[0] - self._start[0]
        reg = (end[1] - self._start[1]) if end[1] is not None and self._start[1] is not None else None
        client = end[2] - self._start[2]
        busy = end[3] - self._start[3]
        background = max(0.0, busy - client - (reg or 0.0))
        return {"wall_s": round(wall, 3),
                "registry_cpu_s": None if reg is None else round(reg, 2),
                "client_cpu_s": round(client, 2), "bg_cpu_s": round(background, 2)}


class RssSampler(threading.Thread):
    """Samples the registry's VmRSS/VmHWM every `interval` seconds into a TSV file."""

    def __init__(self, pid, path, interval=0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self._file = open(path, "w")
        self._file.write("t_s\trss_kib\thwm_kib\n")
        self._stop_event = threading.Event()
        self._lock = threading.Lock()
        self._t0 = time.monotonic()
        self.first = proc_mem_kib(pid)
        self.max_rss_kib = self.first[0] if self.first else 0
        self.window_max_kib = self.max_rss_kib
        self.hwm_kib = self.first[1] if self.first else 0

    def run(self):
        while not self._stop_event.wait(self.interval):
            self.sample()

    def sample(self):
        mem = proc_mem_kib(self.pid)
        if mem is None:
            return
        with self._lock:
            self._record(mem)

    def _record(self, mem):
        self.max_rss_kib = max(self.max_rss_kib, mem[0])
        self.window_max_kib = max(self.window_max_kib, mem[0])
        self.hwm_kib = max(self.hwm_kib, mem[1])
        self._file.write("%.1f\t%d\t%d\n" % (time.monotonic() - self._t0, mem[0], mem[1]))

    def take_window_max_mib(self):
        """Max RSS since the previous call (a step's peak)."""
        self.sample()
        with self._lock:
            value, self.window_max_kib = self.window_max_kib, 0
        return round(value / 1024, 1)

    def stop(self):
        self.sample()
        self._stop_event.set()
        self.join()
        self._file.close()
