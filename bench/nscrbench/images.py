"""Deterministic OCI image layouts for the workload.

Layer bytes come from SHAKE-256 of (seed, layer id, chunk index), so the same parameters give
the same digests on every machine and every Python version. Layers are tar + gzip level 1 with
fixed mtimes and owners. Layouts are cached under a directory named after their parameters; a
marker file written last makes an interrupted build count as absent.
"""
import fcntl
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import time

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
FIXED_MTIME = 946684800  # 2000-01-01T00:00:00Z
CHUNK = 1 << 20
DONE_MARKER = ".complete"


class _SeededBytes(io.RawIOBase):
    """Readable stream of `size` pseudo-random bytes derived from `key`."""

    def __init__(self, key, size):
        self._key, self._left, self._index = key, size, 0
        self._block, self._pos = b"", 0

    def readable(self):
        return True

    def read(self, n=-1):
        if n is None or n < 0:
            n = self._left
        n = min(n, self._left)
        parts = []
        while n > 0:
            if self._pos == len(self._block):
                self._block = hashlib.shake_256(b"%s/%d" % (self._key, self._index)).digest(CHUNK)
                self._index, self._pos = self._index + 1, 0
            take = min(n, len(self._block) - self._pos)
            parts.append(self._block[self._pos:self._pos + take])
            self._pos += take
            self._left -= take
            n -= take
        return b"".join(parts)


class _HashingSink:
    """Write-only stream that hashes what passes through on its way to `target`."""

    def __init__(self, target):
        self._target, self.sha, self.size = target, hashlib.sha256(), 0

    def write(self, data):
        self.sha.update(data)
        self.size += len(data)
        return self._target.write(data)

    def flush(self):
        self._target.flush()


def _canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


class Layout:
    """One OCI image layout directory being written."""

    def __init__(self, path):
        self.path = path
        self.blob_dir = os.path.join(path, "blobs", "sha256")
        os.makedirs(self.blob_dir, exist_ok=True)
        self.manifests = []  # index.json entries

    def _blob_path(self, digest):
        return os.path.join(self.blob_dir, digest.split(":", 1)[1])

    def add_bytes(self, data, media_type):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        path = self._blob_path(digest)
        if not os.path.exists(path):
            with open(path + ".tmp", "wb") as f:
                f.write(data)
            os.rename(path + ".tmp", path)
        return {"mediaType": media_type, "digest": digest, "size": len(data)}

    def add_random_layer(self, key, size):
        """A gzip'ed tar holding one file of `size` seeded random bytes; returns (descriptor, diff_id)."""
        tmp = os.path.join(self.blob_dir, "layer.tmp")
        with open(tmp, "wb") as raw:
            compressed = _HashingSink(raw)
            with gzip.GzipFile(filename="", mode="wb", fileobj=compressed, compresslevel=1,
                               mtime=0) as gz:
                uncompressed = _HashingSink(gz)
                with tarfile.open(fileobj=uncompressed, mode="w|", format=tarfile.USTAR_FORMAT) as tar:
                    info = tarfile.TarInfo("data/" + key.decode().replace("/", "-") + ".bin")
                    info.size, info.mtime, info.mode = size, FIXED_MTIME, 0o644
                    info.uid = info.gid = 0
                    info.uname = info.gname = "root"
                    tar.addfile(info, _SeededBytes(key, size))
        digest = "sha256:" + compressed.sha.hexdigest()
        os.rename(tmp, self._blob_path(digest))
        desc = {"mediaType": OCI_LAYER_GZIP, "digest": digest, "size": compressed.size}
        return desc, "sha256:" + uncompressed.sha.hexdigest()

    def add_image(self, tag, layers):
        """layers: list of (descriptor, diff_id). Writes config + manifest, indexes it under `tag`."""
        config = {"architecture": "amd64", "os": "linux", "created": "2000-01-01T00:00:00Z",
                  "config": {}, "rootfs": {"type": "layers", "diff_ids": [d for _, d in layers]}}
        config_desc = self.add_bytes(_canonical(config), OCI_CONFIG)
        manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": config_desc,
                    "layers": [desc for desc, _ in layers]}
        entry = self.add_bytes(_canonical(manifest), OCI_MANIFEST)
        entry["annotations"] = {"org.opencontainers.image.ref.name": tag}
        self.manifests.append(entry)
        return {"tag": tag, "manifest": entry["digest"], "manifest_size": entry["size"],
                "config": config_desc, "layers": [desc for desc, _ in layers]}

    def finish(self, info):
        with open(os.path.join(self.path, "oci-layout"), "w") as f:
            f.write('{"imageLayoutVersion":"1.0.0"}')
        with open(os.path.join(self.path, "index.json"), "wb") as f:
            f.write(_canonical({"schemaVersion": 2, "manifests": self.manifests}))
        with open(os.path.join(self.path, "images.json"), "w") as f:
            json.dump(info, f, indent=1)
        with open(os.path.join(self.path, DONE_MARKER), "w") as f:
            f.write("ok\n")


def _build_big(path, seed, total_mib, layer_count):
    layout = Layout(path)
    sizes = [total_mib * CHUNK // layer_count] * layer_count
    sizes[-1] += total_mib * CHUNK - sum(sizes)
    layers = [layout.add_random_layer(b"%s/big/%d" % (seed, i), size) for i, size in enumerate(sizes)]
    image = layout.add_image("1", layers)
    layout.finish({"kind": "big", "images": [image]})


def _build_ci(path, seed, count, base_mib, unique_kib):
    layout = Layout(path)
    base = layout.add_random_layer(b"%s/ci-base" % seed, base_mib * CHUNK)
    images = []
    for i in range(count):
        unique = [layout.add_random_layer(b"%s/ci/%d/%d" % (seed, i, j), unique_kib * 1024)
                  for j in range(2)]
        images.append(layout.add_image("t%04d" % i, [base] + unique))
    layout.finish({"kind": "ci", "base_layer": base[0], "images": images})


def _ensure(root, name, build, log):
    path = os.path.join(root, name)
    if os.path.exists(os.path.join(path, DONE_MARKER)):
        return path, True
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two runs at once must not build the same layout
        if os.path.exists(os.path.join(path, DONE_MARKER)):
            return path, True
        shutil.rmtree(path, ignore_errors=True)
        start = time.monotonic()
        log("generating %s ..." % name)
        build(path)
        log("generated %s in %.1f s" % (name, time.monotonic() - start))
    return path, False


def ensure_images(root, seed, big_mib, big_layers, ci_count, ci_base_mib, ci_unique_kib, log=print):
    """Builds (or finds cached) layouts; returns dict with paths and image descriptions."""
    s = seed.encode()
    big_name = "big-%dm-%dl-%s" % (big_mib, big_layers, seed)
    ci_name = "ci-%d-%dm-%dk-%s" % (ci_count, ci_base_mib, ci_unique_kib, seed)
    big_path, big_cached = _ensure(root, big_name, lambda p: _build_big(p, s, big_mib, big_layers), log)
    ci_path, ci_cached = _ensure(
        root, ci_name, lambda p: _build_ci(p, s, ci_count, ci_base_mib, ci_unique_kib), log)
    with open(os.path.join(big_path, "images.json")) as f:
        big = json.load(f)
    with open(os.path.join(ci_path, "images.json")) as f:
        ci = json.load(f)
    return {"big_path": big_path, "ci_path": ci_path, "big": big, "ci": ci,
            "cached": {"big": big_cached, "ci": ci_cached}}


def blob_path(layout_path, digest):
    return os.path.join(layout_path, "blobs", "sha256", digest.split(":", 1)[1])


def image_bytes(image):
    """Bytes a push or pull of `image` moves: layers + config + manifest."""
    return sum(l["size"] for l in image["layers"]) + image["config"]["size"] + image["manifest_size"]
