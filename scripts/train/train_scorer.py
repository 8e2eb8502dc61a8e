#!/usr/bin/env python3
"""Trains the answer scorer from the rows of scripts/train/features.ts and writes models/answer-scorer.json.

    /usr/bin/python3 scripts/train/train_scorer.py .data/train/features.jsonl [--out models/answer-scorer.json]

Compares a logistic model, gradient-boosted trees (XGBoost) and a small neural network (MLP) on the validation
articles (never seen in training), keeps the best by validation hit@1, calibrates the best sentence's score into the
chance that the first quote answers the question (Platt scaling on validation questions, answerable and not), and
chooses the decline threshold there. Needs python3-numpy, python3-sklearn, python3-xgboost (Debian packages).
"""
import argparse
import json
import math
import sys
from collections import defaultdict

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
import xgboost as xgb

FEATURES_TS = "src/answer/features.ts"
# What the shipped scorer is trained on: SQuAD 1.0 train's questions as written, and the ways of "the articles don't say".
SHIPPED_TRAIN_KINDS = ["own", "foreign", "near-miss", "swapped", "negated", "antonym", "impossible"]


def in_recipe(row, train_kinds):
    """Whether a row of features.ts is trained on (its kind in train_kinds) or validates as the scorer always has
    (SQuAD validation articles; WikiQA dev is reported apart, by train_scorer.py only)."""
    if row["split"] in ("train", "wikiqa-train"):
        return row["kind"] in train_kinds
    return row["split"] == "val"


def feature_names():
    text = open(FEATURES_TS, encoding="utf8").read()
    block = text[text.index("export const FEATURES = [") : text.index("] as const;")]
    return [line.strip().strip("',") for line in block.splitlines()[1:] if line.strip().startswith("'")]


def load(path):
    rows = [json.loads(line) for line in open(path, encoding="utf8")]
    X = np.array([r["f"] for r in rows], dtype=np.float32)
    y = np.array([r["y"] for r in rows], dtype=np.int32)
    return rows, X, y


def per_question(rows, scores):
    """question id -> (answerable, best score, label of best, model, kind)"""
    best = {}
    for r, s in zip(rows, scores):
        key = (r["group"], r["kind"], r["qid"])
        if key not in best or s > best[key][1]:
            best[key] = (r["answerable"], float(s), r["y"], r["model"], r["kind"])
    return best


def report(name, rows, scores):
    return summarise(name, per_question(rows, scores))


def summarise(name, best):
    """hit@1 (overall and per embedding model) and decline AUC of per_question's result, printed and returned."""
    answerable = [v for v in best.values() if v[0]]
    unanswerable = [v for v in best.values() if not v[0]]
    hit1 = sum(v[2] for v in answerable) / max(1, len(answerable))
    by_model = defaultdict(list)
    for v in answerable:
        by_model[v[3]].append(v[2])
    out = {"hit1": round(hit1, 4), "by_model": {m: round(sum(h) / len(h), 4) for m, h in sorted(by_model.items())}, "answerable": len(answerable), "unanswerable": len(unanswerable)}
    # AUC of the best score: answered-correctly vs no answer.
    pos = [v[1] for v in answerable if v[2]]
    neg = [v[1] for v in unanswerable]
    if pos and neg:
        order = np.argsort(np.array(pos + neg))
        ranks = np.empty(len(order))
        ranks[order] = np.arange(1, len(order) + 1)
        out["decline_auc"] = round(float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))), 4)
    print(f"{name}: {json.dumps(out)}", file=sys.stderr)
    return out


def calibrate(best, log_odds, max_false_refusals):
    """Platt scaling of each question's best log-odds into the chance that its best sentence answers (0 for questions
    with no answer), and the highest decline threshold whose false refusals (answerable questions declined) stay
    within the bound. Returns a, b, the threshold, no-answer declined, false refusals, declined by kind."""
    z = np.array([[x] for x in log_odds])
    t = np.array([1 if (v[0] and v[2]) else 0 for v in best.values()])
    platt = LogisticRegression(C=1e6).fit(z, t)
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    conf = 1 / (1 + np.exp(-(a * z[:, 0] + b)))
    answerable = np.array([v[0] for v in best.values()])
    declineBelow = 0.0
    for th in np.arange(0.01, 0.9, 0.005):
        if float(np.mean(conf[answerable] < th)) <= max_false_refusals:
            declineBelow = float(th)
    declined = float(np.mean(conf[~answerable] < declineBelow))
    fr = float(np.mean(conf[answerable] < declineBelow))
    kinds = np.array([v[4] for v in best.values()])
    declined_by_kind = {k: round(float(np.mean(conf[kinds == k] < declineBelow)), 4) for k in sorted(set(kinds[~answerable]))}
    print(f"calibration a={a:.3f} b={b:.3f}; decline below {declineBelow:.3f}: validation false refusals {fr:.3f}, no-answer declined {declined:.3f} {json.dumps(declined_by_kind)}", file=sys.stderr)
    return a, b, declineBelow, declined, fr, declined_by_kind


def logit(p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return np.log(p / (1 - p))


def trees_json(booster, n_features):
    trees = []
    for dump in booster.get_dump(dump_format="json"):
        nodes = {}

        def walk(node):
            nodes[node["nodeid"]] = node
            for child in node.get("children", []):
                walk(child)

        walk(json.loads(dump))
        size = max(nodes) + 1
        tree = {"feature": [-1] * size, "threshold": [0.0] * size, "left": [0] * size, "right": [0] * size, "value": [0.0] * size}
        for i, node in nodes.items():
            if "leaf" in node:
                tree["value"][i] = round(float(node["leaf"]), 7)
            else:
                f = int(node["split"][1:])
                assert 0 <= f < n_features
                tree["feature"][i] = f
                tree["threshold"][i] = float(node["split_condition"])
                tree["left"][i] = node["yes"]
                tree["right"][i] = node["no"]
        trees.append(tree)
    return trees


def write_model(path, model):
    """The model file the product reads: compact JSON, one line."""
    with open(path, "w", encoding="utf8") as f:
        json.dump(model, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("features")
    ap.add_argument("--out", default="models/answer-scorer.json")
    ap.add_argument("--max-false-refusals", type=float, default=0.10)
    ap.add_argument("--skip-mlp", action="store_true", help="leave out the neural comparison (slow on CPU; it never ships)")
    ap.add_argument(
        "--train-kinds",
        default=",".join(SHIPPED_TRAIN_KINDS),
        help="kinds of question trained on; also: wikiqa (WikiQA train: an experiment only, its research-use licence keeps a model trained on it out of the product)",
    )
    args = ap.parse_args()
    names = feature_names()
    rows, X, y = load(args.features)
    assert X.shape[1] == len(names), f"rows have {X.shape[1]} features, features.ts names {len(names)}"
    train_kinds = set(args.train_kinds.split(","))
    split = np.array([r["split"] for r in rows])
    kinds = np.array([r["kind"] for r in rows])
    train = (np.isin(split, ["train", "wikiqa-train"])) & np.isin(kinds, list(train_kinds))
    # Validation as it always was (SQuAD articles never trained on, chat-typed copies among them); WikiQA dev, real
    # queries typed without the page, is reported beside it, never used to choose or calibrate.
    val = split == "val"
    wikiqa_dev = split == "wikiqa-dev"
    tr_rows = [r for r, t in zip(rows, train) if t]
    va_rows = [r for r, t in zip(rows, val) if t]
    print(f"rows: train {train.sum()} ({y[train].sum()} positive), validation {val.sum()} ({y[val].sum()} positive)", file=sys.stderr)

    results = {}
    baseline = report("baseline: sentence BM25 (bm25_abs)", va_rows, X[val][:, names.index("bm25_abs")])

    scaler = StandardScaler().fit(X[train])
    lr = LogisticRegression(max_iter=2000, C=1.0).fit(scaler.transform(X[train]), y[train])
    p_lr = lr.predict_proba(scaler.transform(X[val]))[:, 1]
    results["logistic"] = (report("logistic", va_rows, p_lr), p_lr)

    if not args.skip_mlp:
        mlp = MLPClassifier(hidden_layer_sizes=(64, 32), early_stopping=True, max_iter=200, random_state=0).fit(scaler.transform(X[train]), y[train])
        p_mlp = mlp.predict_proba(scaler.transform(X[val]))[:, 1]
        results["mlp"] = (report("mlp (64, 32)", va_rows, p_mlp), p_mlp)

    dtrain = xgb.DMatrix(X[train], label=y[train])
    dval = xgb.DMatrix(X[val], label=y[val])
    params = {"objective": "binary:logistic", "eval_metric": "logloss", "max_depth": 5, "eta": 0.08, "subsample": 0.8, "colsample_bytree": 0.8, "min_child_weight": 5, "base_score": 0.5, "nthread": 2}
    booster = xgb.train(params, dtrain, num_boost_round=600, evals=[(dval, "val")], early_stopping_rounds=40, verbose_eval=False)
    booster = xgb.train(params, dtrain, num_boost_round=booster.best_iteration + 1)
    p_xgb = booster.predict(dval)
    results["trees"] = (report(f"trees ({booster.num_boosted_rounds()} rounds, depth 5)", va_rows, p_xgb), p_xgb)

    kind = max(results, key=lambda k: results[k][0]["hit1"])
    if kind == "mlp":
        kind = "trees" if results["trees"][0]["hit1"] >= results["logistic"][0]["hit1"] else "logistic"
        print("the MLP led, but it does not ship (no evaluator in the product); keeping the best of the others", file=sys.stderr)
    scores = results[kind][1]
    print(f"chosen: {kind}", file=sys.stderr)

    # Calibration: the best sentence's log-odds → the chance that it answers (0 for questions with no answer).
    best = per_question(va_rows, scores)
    a, b, declineBelow, declined, fr, declined_by_kind = calibrate(best, [logit(v[1]) for v in best.values()], args.max_false_refusals)

    def predict(mask):
        return booster.predict(xgb.DMatrix(X[mask])) if kind == "trees" else lr.predict_proba(scaler.transform(X[mask]))[:, 1]

    def beside(name, mask):
        """Figures on rows not used to choose or calibrate: hit@1, decline AUC, and at the threshold chosen above."""
        if not mask.any():
            return None
        best_here = per_question([r for r, t in zip(rows, mask) if t], predict(mask))
        out = summarise(name, best_here)
        conf = np.array([1 / (1 + math.exp(-(a * logit(v[1]) + b))) for v in best_here.values()])
        answerable = np.array([v[0] for v in best_here.values()])
        out["false_refusals"] = round(float(np.mean(conf[answerable] < declineBelow)), 4)
        if (~answerable).any():
            out["declined"] = round(float(np.mean(conf[~answerable] < declineBelow)), 4)
        print(f"{name} at the threshold: {json.dumps({k: out[k] for k in ('false_refusals', 'declined') if k in out})}", file=sys.stderr)
        return out

    wikiqa = beside("WikiQA dev (real queries)", wikiqa_dev)

    compared = ", ".join(f"{k} hit@1 {v[0]['hit1']}" for k, v in results.items())
    train_scores = booster.predict(dtrain) if kind == "trees" else lr.predict_proba(scaler.transform(X[train]))[:, 1]
    metrics = {
        "train": report("train (sampled negatives)", tr_rows, train_scores),
        "validation": {**results[kind][0], "declined": round(declined, 4), "declined_by_kind": declined_by_kind, "false_refusals": round(fr, 4)},
        "baseline_bm25": baseline,
        "wikiqa_dev": wikiqa,
        "train_kinds": sorted(train_kinds),
        "compared": {k: v[0]["hit1"] for k, v in results.items()},
    }
    model = {
        "format": 1,
        "kind": kind,
        "features": names,
        "base": 0.0,
        "calibration": {"a": round(a, 6), "b": round(b, 6)},
        "declineBelow": round(declineBelow, 3),
        "metrics": metrics,
        "about": f"Trained by scripts/train/train_scorer.py on {int(train.sum())} candidate sentences of SQuAD 1.0 train (validation on other articles and the SQuAD 2.0 train slice: {json.dumps(results[kind][0])}); compared: {compared}.",
    }
    if kind == "trees":
        model["trees"] = trees_json(booster, len(names))
    else:
        model["base"] = float(lr.intercept_[0])
        model["linear"] = {"mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(), "weights": lr.coef_[0].tolist()}
    write_model(args.out, model)


if __name__ == "__main__":
    main()
