#!/usr/bin/env python3
"""A small neural pair model (question, sentence) → answers or not, trained on the rows of
`npm run train:features` (SQuAD, the real retrieval's candidates): the pair model of the answer scorer's second look
(src/answer/pair-model.ts evaluates it; train_second_look.py bundles it). With --stacked, the rows are written
again with its score appended to their features: out-of-fold on training rows (2 folds by corpus, so the second
look's trees never see a score the pair model made on its own training data), the model trained on every training
row on validation rows.

    /usr/bin/python3 scripts/train/train_pair.py .data/train/features.jsonl [--out .data/train/pair-model.json] [--stacked out.jsonl] [--epochs 2]

Architecture (compare-aggregate, Wang & Jiang 2017 style, ~40k weights): each word is its GloVe vector from
models/word-vectors.bin (frozen), whether it is unknown to the vectors, and whether the other side has the same
word; a shared layer projects it; each question word attends over the sentence's words; a compare layer sees the
question word, what it aligned to, their product and difference, the exact-match flag and the best raw cosine;
mean, max and min over the question's words feed a two-layer head. Needs python3-torch (Debian).
"""
import argparse
import json
import math
import random
import re
import struct
import unicodedata
from collections import defaultdict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from train_scorer import SHIPPED_TRAIN_KINDS, in_recipe

MAX_Q = 24
MAX_S = 64
HIDDEN = 48


def load_vectors(path="models/word-vectors.bin"):
    data = open(path, "rb").read()
    assert data[:6] == b"SDWV1\n"
    offset = 6

    def section():
        nonlocal offset
        (length,) = struct.unpack_from("<I", data, offset)
        text = data[offset + 4 : offset + 4 + length].decode("utf8")
        offset += 4 + length
        return text

    header = json.loads(section())
    words = section().split("\n")
    count, dims = header["count"], header["dims"]
    scales = np.frombuffer(data, dtype="<f4", count=count, offset=offset)
    codes = np.frombuffer(data, dtype=np.int8, count=count * dims, offset=offset + 4 * count).reshape(count, dims)
    matrix = codes.astype(np.float32) * scales[:, None].astype(np.float32)
    return {w: i for i, w in enumerate(words)}, matrix


MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def tokens(text, limit):
    """NFKD, marks dropped, lower case, runs of letters and digits (a TypeScript evaluator must read words alike)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))
    return [t for t in re.split(r"[\W_]+", text.lower()) if t][:limit]


class Pair(nn.Module):
    def __init__(self, vectors):
        super().__init__()
        V, D = vectors.shape
        self.register_buffer("E", torch.cat([torch.tensor(vectors), torch.zeros(1, D)]))
        self.unknown = V
        self.inp = nn.Linear(D + 2, HIDDEN)
        self.cmp = nn.Linear(4 * HIDDEN + 2, HIDDEN)
        self.head1 = nn.Linear(3 * HIDDEN, HIDDEN)
        self.head2 = nn.Linear(HIDDEN, 1)

    def forward(self, qi, qmask, si, smask, qem, sem):
        qe, se = self.E[qi], self.E[si]
        qunk, sunk = (qi == self.unknown).float(), (si == self.unknown).float()
        a = F.relu(self.inp(torch.cat([qe, qunk[..., None], qem[..., None]], -1)))
        b = F.relu(self.inp(torch.cat([se, sunk[..., None], sem[..., None]], -1)))
        e = a @ b.transpose(1, 2)
        e = e.masked_fill(~smask[:, None, :], -1e9)
        beta = torch.softmax(e, -1) @ b
        cos = (qe @ se.transpose(1, 2)).masked_fill(~smask[:, None, :], -1.0).amax(-1).clamp(min=0)
        v = F.relu(self.cmp(torch.cat([a, beta, a * beta, (a - beta).abs(), qem[..., None], cos[..., None]], -1)))
        m = qmask[..., None].float()
        mean = (v * m).sum(1) / m.sum(1).clamp(min=1)
        mx = v.masked_fill(~qmask[..., None], -1e9).amax(1)
        mn = v.masked_fill(~qmask[..., None], 1e9).amin(1)
        return self.head2(F.relu(self.head1(torch.cat([mean, mx, mn], -1)))).squeeze(-1)


def encode(rows, vocab, unknown):
    cache = {}

    def ids(text, limit):
        if (text, limit) not in cache:
            toks = tokens(text, limit) or ["."]
            cache[(text, limit)] = (toks, [vocab.get(t, unknown) for t in toks])
        return cache[(text, limit)]

    out = []
    for r in rows:
        qt, qi = ids(r["q"], MAX_Q)
        st, si = ids(r["s"], MAX_S)
        sset, qset = set(st), set(qt)
        out.append((qi, si, [1.0 if t in sset else 0.0 for t in qt], [1.0 if t in qset else 0.0 for t in st]))
    return out


def batches(encoded, labels, size, shuffle):
    order = list(range(len(encoded)))
    if shuffle:
        random.shuffle(order)
    for start in range(0, len(order), size):
        part = [encoded[i] for i in order[start : start + size]]
        lq = max(len(p[0]) for p in part)
        ls = max(len(p[1]) for p in part)
        qi = torch.zeros(len(part), lq, dtype=torch.long)
        si = torch.zeros(len(part), ls, dtype=torch.long)
        qm = torch.zeros(len(part), lq, dtype=torch.bool)
        sm = torch.zeros(len(part), ls, dtype=torch.bool)
        qem = torch.zeros(len(part), lq)
        sem = torch.zeros(len(part), ls)
        for k, (a, b, ea, eb) in enumerate(part):
            qi[k, : len(a)] = torch.tensor(a)
            si[k, : len(b)] = torch.tensor(b)
            qm[k, : len(a)] = True
            sm[k, : len(b)] = True
            qem[k, : len(a)] = torch.tensor(ea)
            sem[k, : len(b)] = torch.tensor(eb)
        y = torch.tensor([labels[i] for i in order[start : start + size]], dtype=torch.float32) if labels is not None else None
        yield [order[start : start + size], qi, qm, si, sm, qem, sem, y]


def train(encoded, labels, vectors, epochs, seed=0):
    torch.manual_seed(seed)
    random.seed(seed)
    model = Pair(vectors)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    pos = sum(labels) / len(labels)
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for n, (_, qi, qm, si, sm, qem, sem, y) in enumerate(batches(encoded, labels, 256, True)):
            loss = F.binary_cross_entropy_with_logits(model(qi, qm, si, sm, qem, sem), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        print(f"  epoch {epoch + 1}: loss {total / (n + 1):.4f} (base rate {pos:.3f})", flush=True)
    return model


def predict(model, encoded):
    model.eval()
    scores = np.zeros(len(encoded), dtype=np.float32)
    with torch.no_grad():
        for index, qi, qm, si, sm, qem, sem, _ in batches(encoded, None, 1024, False):
            scores[index] = model(qi, qm, si, sm, qem, sem).numpy()
    return scores


def hit1(rows, scores):
    best = {}
    for r, s in zip(rows, scores):
        key = (r["group"], r["kind"], r["qid"])
        if key not in best or s > best[key][0]:
            best[key] = (s, r["y"], r["kind"] == "own")
    answerable = [v for v in best.values() if v[2]]
    return sum(v[1] for v in answerable) / max(1, len(answerable))


def export(model, path, rows, encoded, metrics):
    state = {k: [[round(x, 6) for x in r] for r in v.tolist()] if v.dim() == 2 else [round(x, 6) for x in v.tolist()] for k, v in model.state_dict().items() if k != "E"}
    # A few validation pairs with the logit computed here: the TypeScript forward pass must reproduce them.
    picked = list(range(0, len(rows), max(1, len(rows) // 8)))[:8]
    checks = [{"question": rows[i]["q"], "sentence": rows[i]["s"], "logit": round(float(predict(model, [encoded[i]])[0]), 5)} for i in picked]
    json.dump({"format": 1, "maxQuestion": MAX_Q, "maxSentence": MAX_S, "hidden": HIDDEN, "metrics": metrics, "checks": checks, "weights": state}, open(path, "w"), separators=(",", ":"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("features")
    parser.add_argument("--out", default=".data/train/pair-model.json")
    parser.add_argument("--stacked")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--folds", type=int, default=2)
    parser.add_argument("--train-kinds", default=",".join(SHIPPED_TRAIN_KINDS), help="as train_scorer.py's")
    args = parser.parse_args()
    torch.set_num_threads(2)
    vocab, vectors = load_vectors()
    kinds = set(args.train_kinds.split(","))
    rows = [r for r in (json.loads(line) for line in open(args.features, encoding="utf8")) if in_recipe(r, kinds)]
    train_idx = [i for i, r in enumerate(rows) if r["split"] != "val"]
    val_idx = [i for i, r in enumerate(rows) if r["split"] == "val"]
    print(f"{len(train_idx)} training rows, {len(val_idx)} validation rows", flush=True)
    encoded = encode(rows, vocab, len(vectors))
    labels = [r["y"] for r in rows]
    scores = np.zeros(len(rows), dtype=np.float32)

    print("pair model on every training row:", flush=True)
    full = train([encoded[i] for i in train_idx], [labels[i] for i in train_idx], vectors, args.epochs)
    scores[val_idx] = predict(full, [encoded[i] for i in val_idx])
    alone = hit1([rows[i] for i in val_idx], scores[val_idx])
    print(f"validation hit@1, pair model alone: {alone:.4f}", flush=True)
    export(full, args.out, [rows[i] for i in val_idx], [encoded[i] for i in val_idx], {"validation_hit1": round(alone, 4), "training_rows": len(train_idx)})

    if args.stacked:
        groups = sorted({rows[i]["group"] for i in train_idx})
        for fold in range(args.folds):
            held = {g for k, g in enumerate(groups) if k % args.folds == fold}
            fit = [i for i in train_idx if rows[i]["group"] not in held]
            out = [i for i in train_idx if rows[i]["group"] in held]
            print(f"fold {fold + 1}/{args.folds}: {len(fit)} rows to fit, {len(out)} scored", flush=True)
            model = train([encoded[i] for i in fit], [labels[i] for i in fit], vectors, args.epochs, seed=fold + 1)
            scores[out] = predict(model, [encoded[i] for i in out])
        with open(args.stacked, "w") as f:
            for r, s in zip(rows, scores):
                r = dict(r)
                r.pop("q", None)
                r.pop("s", None)
                r["f"] = r["f"] + [round(float(s), 5)]
                f.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
