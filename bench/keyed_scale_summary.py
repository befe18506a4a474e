"""Summary of a bench/keyed-scale.sh run: peak heap of every JVM from its GC log, and the
servers' keys, table bytes and heap after a full GC per stored key. Usage: keyed_scale_summary.py DIR
"""
import glob
import os
import re
import sys

UNIT = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
PAUSE = re.compile(r"(\d+)([KMG])->(\d+)([KMG])\((\d+)([KMG])\)")


def gc_peaks(path):
    """(max used before a GC, max used after a GC, max committed, GCs) in bytes."""
    before = after = committed = n = 0
    with open(path) as f:
        for line in f:
            m = PAUSE.search(line)
            if m:
                n += 1
                before = max(before, int(m.group(1)) * UNIT[m.group(2)])
                after = max(after, int(m.group(3)) * UNIT[m.group(4)])
                committed = max(committed, int(m.group(5)) * UNIT[m.group(6)])
    return before, after, committed, n


def mb(b):
    return "%.0f MB" % (b / (1 << 20))


def prom(path):
    """{"keys": n, "bytes": b} summed over a server's shards, from its final /metrics."""
    d = {"keys": 0.0, "bytes": 0.0}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.startswith("sparkps_ps_table_keys{"):
                    d["keys"] += float(line.split()[-1])
                elif line.startswith("sparkps_ps_table_bytes{"):
                    d["bytes"] += float(line.split()[-1])
    return d


def heap_used(path):
    """Heap used after the full GC recorded in a jcmd GC.heap_info file, bytes; 0 if absent."""
    if not os.path.exists(path):
        return 0
    with open(path) as f:
        m = re.search(r"heap\s+total (\d+)K, used (\d+)K", f.read())
    return int(m.group(2)) * 1024 if m else 0


def main(d):
    print("peak heap from GC logs (used before a collection / after / committed; collections):")
    for p in sorted(glob.glob(os.path.join(d, "*gc*.log"))):
        b, a, c, n = gc_peaks(p)
        print("  %-28s %s / %s / %s; %d" % (os.path.basename(p), mb(b), mb(a), mb(c), n))
    keys = table = held = 0
    for i in (0, 1):
        t = prom(os.path.join(d, "ps-%d-final.prom" % i))
        idle = heap_used(os.path.join(d, "ps-%d-heap-idle.txt" % i))
        final = heap_used(os.path.join(d, "ps-%d-heap-final.txt" % i))
        k = max(1.0, t["keys"])
        print("  ps-%d: %.0f keys; table %s (%.1f bytes/key, the table's own count); heap after "
              "a full GC %s, %s before training: %.1f bytes/key above idle" % (
                  i, t["keys"], mb(t["bytes"]), t["bytes"] / k, mb(final), mb(idle),
                  (final - idle) / k))
        keys += t["keys"]
        table += t["bytes"]
        held += final - idle
    print("  both servers: %.0f keys touched; tables %s (%.1f bytes/key); heap above idle %s "
          "(%.1f bytes/key)" % (keys, mb(table), table / max(1, keys), mb(held),
                                held / max(1, keys)))


if __name__ == "__main__":
    main(sys.argv[1])
