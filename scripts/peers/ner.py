#!/usr/bin/env python3
"""Named-entity recognition by a peer tool (natasha), for `xabar-eval ner`.

Usage: ner.py < documents.jsonl

Reads one JSON object a line on stdin, `{"id": ..., "text": ...}`, and prints, for each, one JSON
object a line on stdout: `{"id": ..., "spans": [[start, end, type], ...]}`, where `start` and
`end` are offsets in Unicode code points (Python string indices) into the text it was given and
`type` is natasha's own label (PER, LOC, ORG). The evaluation maps the labels and the offsets,
so that both sides are scored on exactly the same texts by the same code.

natasha runs the way its documentation shows a user: `Segmenter` then `NewsNERTagger` over
`NewsEmbedding`, on the whole document. Models load before the clock starts; the time spent
tagging goes to stderr as `ner_seconds=<float>`.
"""

import json
import sys
import time


def main():
    if len(sys.argv) != 1:
        print("usage: ner.py < documents.jsonl", file=sys.stderr)
        return 2
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    segmenter = Segmenter()
    tagger = NewsNERTagger(NewsEmbedding())

    documents = []
    for line in sys.stdin.read().split("\n"):
        if not line.strip():
            continue
        record = json.loads(line)
        documents.append((record["id"], record["text"]))

    results = []
    start = time.perf_counter()
    for doc_id, text in documents:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        results.append((doc_id, [[s.start, s.stop, s.type] for s in doc.spans]))
    seconds = time.perf_counter() - start

    out = sys.stdout
    for doc_id, spans in results:
        out.write(json.dumps({"id": doc_id, "spans": spans}, ensure_ascii=False))
        out.write("\n")
    print(f"ner_seconds={seconds:.6f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
