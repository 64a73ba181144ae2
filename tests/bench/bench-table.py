#!/usr/bin/env python3
"""`make bench`'s table: the rows the benchmarks appended to RESULTS (tab-separated, the
columns of st_bench_row in tests/bench/st-bench.h), printed as one Markdown table headed by
the date and the machine, for the README's "Benchmarks".

usage: bench-table.py RESULTS
"""
import math
import os
import platform
import sys
import time


def num(text):
    try:
        v = float(text)
    except ValueError:
        return None
    return None if math.isnan(v) else v


def fmt(v):
    if v is None:
        return ""
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    distro = ""
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    distro = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.machine()}, {distro}"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    rows = []
    with open(sys.argv[1]) as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 11:
                continue
            rows.append(cols)
    print(f"Benchmarks of {time.strftime('%Y-%m-%d')} on {machine()}; release build; each "
          "figure's median, its p99 where it has one, the baseline measured in the same run "
          "and the median of the rounds' ratios station / baseline with their spread.")
    print()
    print("| benchmark | figure | median | p99 | baseline | baseline median | ratio | spread | rounds |")
    print("|---|---|---:|---:|---|---:|---:|---|---:|")
    for bench, figure, median, p99, baseline, base, ratio, lo, hi, spread, rounds in rows:
        lo_v, hi_v = num(lo), num(hi)
        spread_text = ""
        if lo_v is not None and hi_v is not None:
            spread_text = f"{fmt(lo_v)} to {fmt(hi_v)} ({spread})"
        elif spread:
            spread_text = spread
        print(f"| {bench} | {figure} | {fmt(num(median))} | {fmt(num(p99))} | {baseline} | "
              f"{fmt(num(base))} | {fmt(num(ratio))} | {spread_text} | {rounds} |")
    if not rows:
        print("| (no benchmark wrote a row) | | | | | | | | |")


if __name__ == "__main__":
    main()
