"""Loaded into the dashboard server only by ``bench/sessions.py --trace-memory`` (this folder
on PYTHONPATH, with PYTHONTRACEMALLOC set): on SIGUSR1 the server writes what holds its
memory to $SESSIONS_PROBE_REPORT — the growth since the first report per source line and
per package (tracemalloc), the outage keeper's last good answers, every live DataFrame, the
Streamlit sessions still in memory, and the native memory tracemalloc does not see: what
SQLite's allocator holds (page caches) and glibc malloc's in-use and free-but-kept bytes.
The bench reads the file and prints it."""

import os

if os.environ.get("SESSIONS_PROBE_REPORT"):
    import ctypes
    import gc
    import re
    import signal
    import sys
    import tracemalloc

    _baseline: list = []
    MB = 2**20

    def _package(filename: str) -> str:
        if "site-packages/" in filename:
            return filename.split("site-packages/", 1)[1].split("/", 1)[0]
        for top in ("ui", "data_access", "presentation", "pages", "sample_data"):
            if f"/{top}/" in filename:
                return top + "/"
        return "python" if "/lib/python" in filename else filename.rsplit("/", 1)[-1]

    def _frames_bytes(frames) -> int:
        total = 0
        for frame in frames:
            try:
                total += int(frame.memory_usage(deep=True).sum())
            except Exception:  # noqa: BLE001 - a frame being built in another thread
                pass
        return total

    class _Mallinfo2(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_size_t)
            for name in "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()
        ]

    def _native() -> list[str]:
        lines = []
        libraries = sorted(set(re.findall(r"(/\S*libsqlite3\.so\S*)", open("/proc/self/maps").read())))
        if libraries:
            sqlite = ctypes.CDLL(libraries[0])
            sqlite.sqlite3_memory_used.restype = ctypes.c_int64
            lines.append(f"SQLite's allocator holds {sqlite.sqlite3_memory_used() / MB:.1f} MB (page caches, statements)")
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _Mallinfo2
        info = libc.mallinfo2()
        lines.append(
            f"glibc malloc: {info.uordblks / MB:.1f} MB in use, {info.fordblks / MB:.1f} MB free but kept in its arenas, "
            f"{info.hblkhd / MB:.1f} MB in mmapped blocks"
        )
        return lines

    def _report(_signum, _frame) -> None:
        gc.collect()
        snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        lines = [
            f"traced now {tracemalloc.get_traced_memory()[0] / MB:.1f} MB (peak {tracemalloc.get_traced_memory()[1] / MB:.1f})"
        ]
        if _baseline:
            diffs = snapshot.compare_to(_baseline[0], "lineno")
            packages: dict[str, int] = {}
            for stat in diffs:
                name = _package(stat.traceback[0].filename)
                packages[name] = packages.get(name, 0) + stat.size_diff
            lines.append("growth since the first report, by package, MB:")
            lines += [f"  {name}: {size / MB:+.1f}" for name, size in sorted(packages.items(), key=lambda p: -abs(p[1]))[:12]]
            lines.append("growth since the first report, by line:")
            for stat in diffs[:15]:
                where = stat.traceback[0]
                lines.append(
                    f"  {stat.size_diff / MB:+7.1f} MB {stat.count_diff:+7d} blocks  {where.filename.split('site-packages/')[-1]}:{where.lineno}"
                )
        else:
            _baseline.append(snapshot)
        pandas = sys.modules.get("pandas")
        objects = gc.get_objects()
        if pandas is not None:
            frames = [o for o in objects if isinstance(o, pandas.DataFrame)]
            lines.append(f"live DataFrames: {len(frames)}, {_frames_bytes(frames) / MB:.1f} MB (deep)")
        for keeper in (o for o in objects if type(o).__name__ == "Outage" and hasattr(o, "_kept")):
            kept = list(keeper._kept.values())
            size = _frames_bytes(k.value for k in kept if pandas is not None and isinstance(k.value, pandas.DataFrame))
            lines.append(f"outage keeper: {len(kept)} last good answers, {size / MB:.1f} MB (deep)")
        sessions = sum(1 for o in objects if type(o).__name__ == "AppSession")
        lines.append(f"Streamlit AppSession objects alive: {sessions}")
        lines += _native()
        path = os.environ["SESSIONS_PROBE_REPORT"]
        with open(path + ".tmp", "w") as out:
            out.write("\n".join(lines) + "\n")
        os.replace(path + ".tmp", path)

    signal.signal(signal.SIGUSR1, _report)
