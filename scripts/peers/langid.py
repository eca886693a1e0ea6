#!/usr/bin/env python3
"""Language identification by a peer tool, for `xabar-eval langid`.

Usage: langid.py lingua|cld2 < sentences.txt

Reads one text a line on stdin and prints, for each, one ISO 639-1 code a line on stdout
("und" when the tool gives no answer), so that xabar and the peers see exactly the same input.
The CPU time spent detecting (model loading excluded) goes to stderr as
`detect_seconds=<float>`: CPU rather than wall time, so that other processes on a shared machine
do not count (xabar's side is timed the same way).

- lingua: lingua-py with a detector built from all of its languages (high accuracy mode,
  models preloaded before the clock starts), the way a user who knows nothing about the
  input would set it up.
- cld2: pycld2's `detect` with its defaults; the top language is taken, whatever its
  reliability flag says.
"""

import sys
import time

# CLD2 still speaks a few withdrawn ISO 639-1 codes.
CLD2_LEGACY = {"iw": "he", "in": "id", "jw": "jv", "mo": "ro"}


def lingua_detector():
    from lingua import LanguageDetectorBuilder

    detector = (
        LanguageDetectorBuilder.from_all_languages()
        .with_preloaded_language_models()
        .build()
    )

    def detect(text):
        lang = detector.detect_language_of(text)
        if lang is None:
            return "und"
        return lang.iso_code_639_1.name.lower()

    return detect


def cld2_detector():
    import pycld2

    def detect(text):
        try:
            _reliable, _bytes, details = pycld2.detect(text)
        except pycld2.error:
            # CLD2 refuses some inputs (e.g. control characters): no answer.
            return "und"
        code = details[0][1].split("-")[0].lower() if details else "un"
        if code in ("un", "xxx", ""):
            return "und"
        return CLD2_LEGACY.get(code, code)

    return detect


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("lingua", "cld2"):
        print("usage: langid.py lingua|cld2 < sentences.txt", file=sys.stderr)
        return 2
    detect = lingua_detector() if sys.argv[1] == "lingua" else cld2_detector()
    texts = sys.stdin.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    start = time.process_time()
    answers = [detect(text) for text in texts]
    seconds = time.process_time() - start
    sys.stdout.write("".join(answer + "\n" for answer in answers))
    print(f"detect_seconds={seconds:.6f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
