"""Inclusive time per project function from a py-spy raw (collapsed) profile: where the scan spends its time."""

from __future__ import annotations

import re
import sys
from collections import Counter

FRAME = re.compile(r"^(?P<func>[^ ]+) \((?P<file>[^:]+)(?::(?P<line>\d+))?\)$")


def summarize(path: str, top: int = 25, prefix: tuple[str, ...] = ("pipeline/", "detectors/")) -> list[tuple]:
    inclusive: Counter = Counter()
    total = 0
    with open(path) as fh:
        for line in fh:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            n = int(count)
            total += n
            seen = set()
            for frame in stack.split(";"):
                m = FRAME.match(frame.strip())
                if not m or not any(p in m["file"] for p in prefix):
                    continue
                key = f"{m['file'].split('/work/main/')[-1]}:{m['func']}"
                if key not in seen:  # recursion counts once
                    seen.add(key)
                    inclusive[key] += n
    return [(k, v, v / total) for k, v in inclusive.most_common(top)]


if __name__ == "__main__":
    for name, n, share in summarize(sys.argv[1]):
        print(f"{share:6.1%}  {n:6d}  {name}")
