#!/usr/bin/env python3
"""Trains the answer scorer's second look and writes models/answer-second-look.json.

    /usr/bin/python3 scripts/train/train_second_look.py .data/train/stacked.jsonl .data/train/pair-model.json [--top 8] [--out models/answer-second-look.json]

The first look is the shipped trees (models/answer-scorer.json) over every candidate sentence. The second look
takes the first look's best `--top` sentences of each question again and re-orders them by trees trained on
exactly those rows, from the first look's features and how far the neural pair model's log-odds (train_pair.py;
out-of-fold on the training rows, so the trees never see a score the pair model made on its own training data)
stand below the best of those few. It only orders: the product keeps the first look's calibrated decision whether
to answer (the calibration written here is for the record and the file's shape). Everything is measured as it runs
in the product: first look, then second look over its top few, on validation articles never seen in training.
"""
import argparse
import json
import sys
from collections import defaultdict

import numpy as np
import xgboost as xgb

from train_scorer import calibrate, feature_names, logit, per_question, summarise, trees_json, write_model

EXTRA = ["pair_rel"]


def first_look_logits(scorer, X):
    """The shipped trees evaluated over every row (vectorised: one step per level of all trees' nodes)."""
    total = np.full(len(X), scorer["base"], dtype=np.float64)
    rows = np.arange(len(X))
    for tree in scorer["trees"]:
        feature, threshold = np.array(tree["feature"]), np.array(tree["threshold"], dtype=np.float32)
        left, right, value = np.array(tree["left"]), np.array(tree["right"]), np.array(tree["value"])
        node = np.zeros(len(X), dtype=np.int64)
        while True:
            inner = feature[node] >= 0
            if not inner.any():
                break
            f = np.maximum(feature[node], 0)
            nxt = np.where(X[rows, f] < threshold[node], left[node], right[node])
            node = np.where(inner, nxt, node)
        total += value[node]
    return total


def question_keys(rows):
    return [(r["group"], r["kind"], r["qid"]) for r in rows]


def top_rows(keys, scores, top):
    """Indices of each question's `top` best rows by the first look, and the pair score's gap to the best of them."""
    by_question = defaultdict(list)
    for i, k in enumerate(keys):
        by_question[k].append(i)
    chosen = []
    for indices in by_question.values():
        indices.sort(key=lambda i: -scores[i])
        chosen.extend(indices[:top])
    return np.array(sorted(chosen))


def with_pair_rel(X, keys, chosen):
    pair = X[:, -1]
    best = defaultdict(lambda: -np.inf)
    for i in chosen:
        best[keys[i]] = max(best[keys[i]], pair[i])
    rel = np.array([pair[i] - best[keys[i]] for i in chosen], dtype=np.float32)
    # Only the gap to the best of the few, never the pair score itself: the second look orders, it does not decide
    # whether to answer, so a word the pair model finds nowhere (a stray "lol") lowers every sentence alike.
    return np.hstack([X[chosen][:, :-1], rel[:, None]])


def evaluate(rows, indices, scores):
    """per_question over the given rows: (answerable, best score, label of that row, model, kind) per question."""
    return per_question([rows[i] for i in indices], scores)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("stacked")
    ap.add_argument("pair_model")
    ap.add_argument("--first-look", default="models/answer-scorer.json")
    ap.add_argument("--top", type=int, default=8)
    ap.add_argument("--out", default="models/answer-second-look.json")
    ap.add_argument("--max-false-refusals", type=float, default=0.10)
    ap.add_argument("--train-on", choices=["top", "all"], default="top", help="the training rows the second look learns from: the first look's top few (as it runs), or all")
    args = ap.parse_args()
    names = feature_names()
    scorer = json.load(open(args.first_look, encoding="utf8"))
    assert scorer["features"] == names, "the first look was trained on other features: retrain it first"
    rows = [json.loads(line) for line in open(args.stacked, encoding="utf8")]
    X = np.array([r["f"] for r in rows], dtype=np.float32)
    y = np.array([r["y"] for r in rows], dtype=np.int32)
    assert X.shape[1] == len(names) + 1, f"rows have {X.shape[1]} features: expected features.ts's {len(names)} and the pair score"
    keys = question_keys(rows)
    first = first_look_logits(scorer, X[:, :-1])
    is_train = np.array([r["split"] != "val" for r in rows])
    val_rows_all = np.where(~is_train)[0]
    summarise("first look alone (validation)", evaluate(rows, val_rows_all, first[val_rows_all]))

    chosen = top_rows(keys, first, args.top)
    X2 = with_pair_rel(X, keys, chosen)
    y2 = y[chosen]
    tr = is_train[chosen]
    va = ~tr
    print(f"second-look rows (top {args.top}): train {tr.sum()} ({y2[tr].sum()} positive), validation {va.sum()}", file=sys.stderr)
    summarise("first look, its top rows (validation)", evaluate(rows, chosen[va], first[chosen[va]]))
    summarise("pair model alone over the top rows (validation)", evaluate(rows, chosen[va], X[chosen[va], -1]))

    if args.train_on == "all":
        # Every training row, pair_rel against the best pair score of the question's rows.
        everything = np.arange(len(rows))[is_train]
        Xa = with_pair_rel(X, keys, everything)
        dtrain = xgb.DMatrix(Xa, label=y[everything])
        tr_index = everything
    else:
        dtrain = xgb.DMatrix(X2[tr], label=y2[tr])
        tr_index = chosen[tr]
    dval = xgb.DMatrix(X2[va], label=y2[va])
    params = {"objective": "binary:logistic", "eval_metric": "logloss", "max_depth": 5, "eta": 0.08, "subsample": 0.8, "colsample_bytree": 0.8, "min_child_weight": 5, "base_score": 0.5, "nthread": 2}
    booster = xgb.train(params, dtrain, num_boost_round=800, evals=[(dval, "val")], early_stopping_rounds=40, verbose_eval=False)
    booster = xgb.train(params, dtrain, num_boost_round=booster.best_iteration + 1)
    p_val = booster.predict(dval)
    best = evaluate(rows, chosen[va], logit(p_val))
    result = summarise(f"second look ({booster.num_boosted_rounds()} rounds, depth 5, top {args.top}; validation)", best)

    a, b, declineBelow, declined, fr, declined_by_kind = calibrate(best, [v[1] for v in best.values()], args.max_false_refusals)

    train_best = evaluate(rows, tr_index, logit(booster.predict(dtrain)))
    pair = json.load(open(args.pair_model, encoding="utf8"))
    out = {
        "format": 1,
        "top": args.top,
        "pair": {k: pair[k] for k in ("format", "maxQuestion", "maxSentence", "hidden", "checks", "weights")},
        "scorer": {
            "format": 1,
            "kind": "trees",
            "features": names + EXTRA,
            "base": 0.0,
            "calibration": {"a": round(a, 6), "b": round(b, 6)},
            "declineBelow": round(declineBelow, 3),
            "metrics": {
                "train": summarise("train (second-look rows)", train_best),
                "validation": {**result, "declined": round(declined, 4), "declined_by_kind": declined_by_kind, "false_refusals": round(fr, 4)},
                "pair_model": pair.get("metrics", {}),
            },
            "about": f"Second look: trees over the first look's top {args.top} sentences with the pair model's score, trained by scripts/train/train_second_look.py on {len(tr_index)} rows of SQuAD 1.0 train ({args.train_on} of its candidates) (validation on other articles and the SQuAD 2.0 train slice: {json.dumps(result)}).",
            "trees": trees_json(booster, len(names) + len(EXTRA)),
        },
    }
    write_model(args.out, out)


if __name__ == "__main__":
    main()
