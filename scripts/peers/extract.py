#!/usr/bin/env python3
"""Main-text extraction by a peer tool (trafilatura), for `xabar-eval extraction`.

Usage: extract.py < pages.tsv

Reads one page a line on stdin as `id<TAB>path<TAB>url` (the path of an HTML file, gzip-compressed
when it ends in `.gz`; the url may be empty) and prints, for each page, one JSON object a line on
stdout: `{"id": ..., "text": ...}`, with an empty text when the tool gives nothing.

trafilatura runs with its default settings, `trafilatura.extract(html, url=url)`, the way a user
would call it. All pages are read and decompressed before the clock starts, so the times printed
on stderr are the extraction alone, on one thread: `extract_seconds=<float>` in CPU time of the
thread (steady on a busy machine), `wall_seconds=<float>` by the wall clock.
"""

import gzip
import json
import sys
import time


def read_page(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    # The eval reads the bytes as UTF-8 with replacement; do the same so both sides see the
    # same characters.
    return data.decode("utf-8", errors="replace")


def main():
    if len(sys.argv) != 1:
        print("usage: extract.py < pages.tsv", file=sys.stderr)
        return 2
    import trafilatura

    pages = []
    for line in sys.stdin.read().split("\n"):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            print(f"extract.py: malformed line: {line!r}", file=sys.stderr)
            return 2
        page_id, path, url = parts
        pages.append((page_id, read_page(path), url or None))

    start = time.perf_counter()
    cpu_start = time.thread_time()
    texts = [trafilatura.extract(html, url=url) or "" for _, html, url in pages]
    cpu_seconds = time.thread_time() - cpu_start
    seconds = time.perf_counter() - start

    out = sys.stdout
    for (page_id, _, _), text in zip(pages, texts):
        out.write(json.dumps({"id": page_id, "text": text}, ensure_ascii=False))
        out.write("\n")
    print(f"extract_seconds={cpu_seconds:.6f}", file=sys.stderr)
    print(f"wall_seconds={seconds:.6f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
