#!/usr/bin/python3
"""Evicts the files of a folder from the page cache, so that the next read comes from disk.

    /usr/bin/python3 src/tools/bench/evict_cache.py DIR [DIR ...]
    /usr/bin/python3 src/tools/bench/evict_cache.py --count DIR     (how much of it is cached; evicts nothing)

posix_fadvise(POSIX_FADV_DONTNEED) on every regular file: the kernel drops the file's clean cached
pages. Unlike writing to /proc/sys/vm/drop_caches it needs no privilege and touches only these files,
so a benchmark can measure a cold index without emptying the whole machine's cache. Dirty pages are
written back first (fdatasync). Prints the bytes cached before and after, counted by util-linux's
fincore (mincore(2)); without fincore only the sizes are printed.
"""
import argparse
import os
import shutil
import subprocess
import sys


def cached_bytes(paths) -> int | None:
    """Bytes of PATHS resident in the page cache, by fincore; None without it."""
    if not paths or shutil.which("fincore") is None:
        return None
    out = subprocess.run(["fincore", "--bytes", "--noheadings", "--raw", "--output", "RES", *paths],
                         check=True, capture_output=True, text=True).stdout
    return sum(int(line) for line in out.split())


def files(folders):
    for folder in folders:
        if not os.path.isdir(folder):
            raise SystemExit(f"evict_cache.py: {folder} is not a folder")
        for root, _, names in os.walk(folder):
            for name in sorted(names):
                path = os.path.join(root, name)
                if os.path.isfile(path) and not os.path.islink(path):
                    yield path


def evict(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fdatasync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", metavar="DIR")
    parser.add_argument("--count", action="store_true",
                        help="only print the MiB of the folders' files in the page cache (stdout), evict nothing")
    args = parser.parse_args(argv)
    paths = list(files(args.folders))
    total = sum(os.path.getsize(p) for p in paths)
    before = cached_bytes(paths)
    if args.count:
        print("unknown (no fincore)" if before is None else f"{before / (1024 * 1024):.0f} MiB")
        return 0
    for p in paths:
        evict(p)
    after = cached_bytes(paths)
    mib = 1024 * 1024
    cached = "" if before is None else f"; cached {before / mib:.1f} MiB before, {after / mib:.1f} MiB after"
    print(f"evict_cache.py: {len(paths)} files, {total / mib:.1f} MiB{cached}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
