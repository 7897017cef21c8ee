#!/usr/bin/env python3
"""Log-log plot of the time to a settled decision against the number of servers (issue 14,
docs/performance.md "Time to a decision").

    build/bench_time_to_decision bench/incidents/clos{1k,4k,16k,64k}.json > ttd.txt
    bench/plot_time_to_decision.py ttd.txt docs/time-to-decision.svg

Reads the benchmark's table (one row per incident: servers, wall s, cpu s, ...) and writes a
self-contained SVG: wall and CPU seconds per incident on log axes, a dashed line of slope 1
through the smallest incident's CPU time (linear scaling) for reference, and the 30 s target.
"""
import math
import sys


def read_rows(path):
    """(servers, wall_s, cpu_s) of every result row of bench_time_to_decision's output."""
    rows = []
    with open(path) as f:
        header = None
        for line in f:
            fields = line.split()
            if fields[:2] == ["incident", "servers"]:
                header = fields
                continue
            if header and len(fields) > 7 and fields[1].isdigit():
                # Fields: incident servers cand ep wu dur wall cpu rss ... (the header's units
                # are separate words, so positions are counted on a row).
                rows.append((int(fields[1]), float(fields[6]), float(fields[7])))
    return sorted(rows)


def svg(rows, out):
    width, height, left, right, top, bottom = 560, 380, 70, 20, 20, 50
    xs = [r[0] for r in rows]
    ys = [v for r in rows for v in r[1:]] + [30.0]
    x0, x1 = math.log10(min(xs) / 1.5), math.log10(max(xs) * 1.5)
    y0, y1 = math.log10(min(ys) / 2), math.log10(max(ys) * 2)

    def px(x):
        return left + (math.log10(x) - x0) / (x1 - x0) * (width - left - right)

    def py(y):
        return height - bottom - (math.log10(y) - y0) / (y1 - y0) * (height - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>']
    for exponent in range(math.floor(y0), math.ceil(y1) + 1):
        for mantissa in (1, 2, 5):
            y = mantissa * 10 ** exponent
            if not y0 <= math.log10(y) <= y1:
                continue
            parts.append(f'<line x1="{left}" x2="{width - right}" y1="{py(y):.1f}" y2="{py(y):.1f}" '
                         f'stroke="#ddd"/><text x="{left - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    for x in xs:
        parts.append(f'<line x1="{px(x):.1f}" x2="{px(x):.1f}" y1="{top}" y2="{height - bottom}" stroke="#eee"/>'
                     f'<text x="{px(x):.1f}" y="{height - bottom + 16}" text-anchor="middle">{x:,}</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - 12}" text-anchor="middle">servers</text>')
    parts.append(f'<text transform="rotate(-90)" x="{-(top + height - bottom) / 2}" y="16" '
                 f'text-anchor="middle">seconds to a settled decision</text>')
    # Linear scaling through the smallest incident's CPU time, and the 30 s target.
    base_x, base_y = rows[0][0], rows[0][2]
    parts.append(f'<line x1="{px(base_x):.1f}" y1="{py(base_y):.1f}" x2="{px(xs[-1]):.1f}" '
                 f'y2="{py(base_y * xs[-1] / base_x):.1f}" stroke="#999" stroke-dasharray="4 4"/>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{py(30):.1f}" y2="{py(30):.1f}" '
                 f'stroke="#c33" stroke-dasharray="2 3"/><text x="{width - right - 4}" y="{py(30) - 4:.1f}" '
                 f'text-anchor="end" fill="#c33">30 s</text>')
    for index, (name, colour) in enumerate((("wall", "#1f77b4"), ("CPU", "#ff7f0e"))):
        points = " ".join(f"{px(r[0]):.1f},{py(r[1 + index]):.1f}" for r in rows)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for r in rows:
            parts.append(f'<circle cx="{px(r[0]):.1f}" cy="{py(r[1 + index]):.1f}" r="3.5" fill="{colour}"/>')
        parts.append(f'<text x="{left + 10}" y="{top + 16 + 16 * index}" fill="{colour}">{name} seconds</text>')
    parts.append(f'<text x="{left + 10}" y="{top + 48}" fill="#999">slope 1 (linear)</text>')
    parts.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(parts) + "\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows = read_rows(sys.argv[1])
    if len(rows) < 2:
        sys.exit("plot_time_to_decision: fewer than two result rows in " + sys.argv[1])
    svg(rows, sys.argv[2])


if __name__ == "__main__":
    main()
