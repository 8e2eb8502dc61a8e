#!/usr/bin/env python3
"""Writes a RANDOM-WEIGHT BERT cross-encoder (BertForSequenceClassification, num_labels 1) in transformers.js layout.

Its scores mean nothing: it exists so that the ANSWER_MODEL code path (tokenizer with text pairs, the
sequence-classification model, its `logits`) can run where no hub model can be downloaded. Never use it to judge
answer quality.

    /usr/bin/python3 scripts/build-random-cross-encoder.py OUT_DIR --tokenizer-from DIR [shape options]

OUT_DIR gets config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json and onnx/model.onnx and/or
onnx/model_quantized.onnx. The tokenizer files are copied from --tokenizer-from, which must hold a BERT-uncased
WordPiece tokenizer (tokenizer.json, tokenizer_config.json) such as ../shared/models/Bench/minilm-l6-random.

The graph is written node by node with the `onnx` package (no torch, no transformers): embeddings (word, position,
token type) and LayerNorm, N post-LayerNorm encoder layers (self-attention with the attention mask, GELU feed-forward),
the pooler (dense + tanh on [CLS]) and the classifier, with inputs input_ids, attention_mask, token_type_ids and the
output `logits` [batch, num_labels] that transformers.js's BertForSequenceClassification reads. The quantized file
stores every weight matrix as int8 (symmetric, one scale per matrix): linear layers run as
DynamicQuantizeLinear + MatMulInteger like onnxruntime's dynamic quantization, the embedding tables as
DequantizeLinear + Gather.

Needs only numpy and onnx (Debian: apt-get install python3-onnx). Defaults are the small shapes of the test fixture
(tests/fixtures/models/Test/cross-encoder-random); --preset ms-marco-minilm-l6 gives the shapes of
cross-encoder/ms-marco-MiniLM-L-6-v2 (about 23 MB quantized: do not commit that one).
"""

import argparse
import json
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

PRESETS = {
    # The committed test fixture: small enough for git, same architecture class.
    "tiny": dict(hidden=32, layers=2, heads=2, intermediate=128, max_positions=512),
    # cross-encoder/ms-marco-MiniLM-L-6-v2 (Xenova/ms-marco-MiniLM-L-6-v2 on the hub).
    "ms-marco-minilm-l6": dict(hidden=384, layers=6, heads=12, intermediate=1536, max_positions=512),
}


class Graph:
    def __init__(self, rng, std, quantized):
        self.nodes = []
        self.inits = []
        self.rng = rng
        self.std = std
        self.quantized = quantized
        self.count = 0

    def name(self, hint):
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, name, array):
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op, inputs, hint, n_out=1, **attrs):
        outs = [self.name(hint) for _ in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=self.name(op), **attrs))
        return outs[0] if n_out == 1 else outs

    def random(self, shape):
        return (self.rng.standard_normal(shape) * self.std).astype(np.float32)

    def quantize(self, name, weight):
        """Symmetric int8: weight ≈ q * scale."""
        scale = np.float32(max(np.abs(weight).max(), 1e-8) / 127.0)
        q = np.clip(np.round(weight / scale), -127, 127).astype(np.int8)
        return self.const(name + ".q", q), self.const(name + ".scale", np.array(scale, np.float32))

    def embedding(self, name, rows, width, ids):
        table = self.random((rows, width))
        if self.quantized:
            q, scale = self.quantize(name, table)
            zero = self.const(name + ".zero", np.array(0, np.int8))
            table_name = self.node("DequantizeLinear", [q, scale, zero], name)
        else:
            table_name = self.const(name, table)
        return self.node("Gather", [table_name, ids], name + ".out", axis=0)

    def linear(self, name, x, n_in, n_out):
        weight = self.random((n_in, n_out))
        bias = self.const(name + ".bias", np.zeros(n_out, np.float32))
        if self.quantized:
            q, w_scale = self.quantize(name, weight)
            w_zero = self.const(name + ".zero", np.array(0, np.int8))
            xq, x_scale, x_zero = self.node("DynamicQuantizeLinear", [x], name + ".xq", n_out=3)
            product = self.node("MatMulInteger", [xq, q, x_zero, w_zero], name + ".int")
            as_float = self.node("Cast", [product], name + ".float", to=TensorProto.FLOAT)
            scale = self.node("Mul", [x_scale, w_scale], name + ".scale")
            y = self.node("Mul", [as_float, scale], name + ".scaled")
        else:
            y = self.node("MatMul", [x, self.const(name + ".weight", weight)], name + ".mm")
        return self.node("Add", [y, bias], name + ".out")

    def layer_norm(self, name, x, width, eps):
        """Written out (ReduceMean/Sub/Pow/Sqrt/Div), as torch exports it for opset 14."""
        mean = self.node("ReduceMean", [x], name + ".mean", axes=[-1], keepdims=1)
        centred = self.node("Sub", [x, mean], name + ".centred")
        two = self.const(name + ".two", np.array(2.0, np.float32))
        var = self.node("ReduceMean", [self.node("Pow", [centred, two], name + ".sq")], name + ".var", axes=[-1], keepdims=1)
        eps_c = self.const(name + ".eps", np.array(eps, np.float32))
        std = self.node("Sqrt", [self.node("Add", [var, eps_c], name + ".vareps")], name + ".std")
        normed = self.node("Div", [centred, std], name + ".normed")
        gamma = self.const(name + ".weight", np.ones(width, np.float32))
        beta = self.const(name + ".bias", np.zeros(width, np.float32))
        return self.node("Add", [self.node("Mul", [normed, gamma], name + ".g"), beta], name + ".out")

    def gelu(self, name, x):
        """Exact GELU: x * 0.5 * (1 + erf(x / sqrt 2))."""
        root2 = self.const(name + ".root2", np.array(np.sqrt(2.0), np.float32))
        one = self.const(name + ".one", np.array(1.0, np.float32))
        half = self.const(name + ".half", np.array(0.5, np.float32))
        erf = self.node("Erf", [self.node("Div", [x, root2], name + ".scaled")], name + ".erf")
        return self.node("Mul", [self.node("Mul", [x, self.node("Add", [erf, one], name + ".erf1")], name + ".xe"), half], name + ".out")


def build(shape, vocab_size, seed, std, quantized, eps=1e-12):
    hidden, heads = shape["hidden"], shape["heads"]
    if hidden % heads:
        sys.exit(f"hidden size {hidden} is not a multiple of the {heads} heads")
    head_dim = hidden // heads
    g = Graph(np.random.default_rng(seed), std, quantized)

    # Embeddings: word + position (0..seq-1) + token type, then LayerNorm.
    seq_len = g.node(
        "Gather", [g.node("Shape", ["input_ids"], "shape"), g.const("one_index", np.array(1, np.int64))], "seq_len", axis=0
    )
    positions = g.node(
        "Range", [g.const("zero_i64", np.array(0, np.int64)), seq_len, g.const("one_i64", np.array(1, np.int64))], "positions"
    )
    x = g.node(
        "Add",
        [
            g.node(
                "Add",
                [
                    g.embedding("embeddings.word_embeddings", vocab_size, hidden, "input_ids"),
                    g.embedding("embeddings.position_embeddings", shape["max_positions"], hidden, positions),
                ],
                "emb_wp",
            ),
            g.embedding("embeddings.token_type_embeddings", 2, hidden, "token_type_ids"),
        ],
        "emb",
    )
    x = g.layer_norm("embeddings.LayerNorm", x, hidden, eps)

    # Additive attention mask: 0 where attended, -10000 at padding; [batch, 1, 1, seq].
    mask = g.node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    mask = g.node("Unsqueeze", [mask, g.const("mask_axes", np.array([1, 2], np.int64))], "mask_4d")
    mask = g.node(
        "Mul",
        [g.node("Sub", [g.const("mask_one", np.array(1.0, np.float32)), mask], "mask_inv"), g.const("mask_min", np.array(-10000.0, np.float32))],
        "mask_add",
    )
    split_heads = g.const("split_heads", np.array([0, 0, heads, head_dim], np.int64))
    merge_heads = g.const("merge_heads", np.array([0, 0, hidden], np.int64))
    inv_sqrt = g.const("inv_sqrt_head_dim", np.array(1.0 / np.sqrt(head_dim), np.float32))

    for i in range(shape["layers"]):
        p = f"encoder.layer.{i}"

        def heads_of(t, name, perm):
            return g.node("Transpose", [g.node("Reshape", [t, split_heads], name + ".split")], name + ".heads", perm=perm)

        q = heads_of(g.linear(p + ".attention.self.query", x, hidden, hidden), p + ".q", [0, 2, 1, 3])
        k = heads_of(g.linear(p + ".attention.self.key", x, hidden, hidden), p + ".k", [0, 2, 3, 1])
        v = heads_of(g.linear(p + ".attention.self.value", x, hidden, hidden), p + ".v", [0, 2, 1, 3])
        scores = g.node("Mul", [g.node("MatMul", [q, k], p + ".qk"), inv_sqrt], p + ".scores")
        probs = g.node("Softmax", [g.node("Add", [scores, mask], p + ".masked")], p + ".probs", axis=-1)
        context = g.node("Transpose", [g.node("MatMul", [probs, v], p + ".ctx")], p + ".ctx_t", perm=[0, 2, 1, 3])
        context = g.node("Reshape", [context, merge_heads], p + ".ctx_merged")
        attended = g.linear(p + ".attention.output.dense", context, hidden, hidden)
        x = g.layer_norm(p + ".attention.output.LayerNorm", g.node("Add", [attended, x], p + ".res1"), hidden, eps)
        inner = g.gelu(p + ".gelu", g.linear(p + ".intermediate.dense", x, hidden, shape["intermediate"]))
        out = g.linear(p + ".output.dense", inner, shape["intermediate"], hidden)
        x = g.layer_norm(p + ".output.LayerNorm", g.node("Add", [out, x], p + ".res2"), hidden, eps)

    # Pooler on [CLS], then the classifier: one logit per (question, sentence) pair.
    cls = g.node("Gather", [x, g.const("cls_index", np.array(0, np.int64))], "cls", axis=1)
    pooled = g.node("Tanh", [g.linear("pooler.dense", cls, hidden, hidden)], "pooled")
    logits = g.linear("classifier", pooled, hidden, 1)
    g.nodes.append(helper.make_node("Identity", [logits], ["logits"], name="logits_out"))

    dims = ["batch_size", "sequence_length"]
    graph = helper.make_graph(
        g.nodes,
        "random_bert_cross_encoder",
        [helper.make_tensor_value_info(n, TensorProto.INT64, dims) for n in ("input_ids", "attention_mask", "token_type_ids")],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", 1])],
        g.inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="story-desk build-random-cross-encoder")
    model.ir_version = 7  # onnxruntime-node 1.14 reads IR 7 (what torch 1.13 writes for opset 14)
    onnx.checker.check_model(model)
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder to write the model to (created)")
    parser.add_argument("--tokenizer-from", required=True, help="folder with a BERT-uncased tokenizer.json and tokenizer_config.json")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="tiny")
    parser.add_argument("--hidden", type=int)
    parser.add_argument("--layers", type=int)
    parser.add_argument("--heads", type=int)
    parser.add_argument("--intermediate", type=int)
    parser.add_argument("--variants", default="quantized,float", help="quantized (onnx/model_quantized.onnx), float (onnx/model.onnx), or both")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--std", type=float, default=0.02, help="normal std of every weight matrix (LayerNorm 1/0, biases 0)")
    args = parser.parse_args()

    shape = dict(PRESETS[args.preset])
    for key in ("hidden", "layers", "heads", "intermediate"):
        if getattr(args, key) is not None:
            shape[key] = getattr(args, key)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    if not variants or any(v not in ("quantized", "float") for v in variants):
        sys.exit("--variants takes quantized, float or quantized,float")

    with open(os.path.join(args.tokenizer_from, "tokenizer.json"), encoding="utf-8") as f:
        tokenizer = json.load(f)
    with open(os.path.join(args.tokenizer_from, "tokenizer_config.json"), encoding="utf-8") as f:
        tokenizer_config = json.load(f)
    if tokenizer.get("model", {}).get("type") != "WordPiece" or not tokenizer_config.get("do_lower_case"):
        sys.exit(f"{args.tokenizer_from} does not hold a BERT-uncased WordPiece tokenizer")
    vocab_size = len(tokenizer["model"]["vocab"])

    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    # transformers.js pads and truncates per call (padding: true, truncation: true, model_max_length): no fixed padding here.
    tokenizer["truncation"] = None
    tokenizer["padding"] = None
    with open(os.path.join(args.out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, separators=(",", ":"))
    tokenizer_config["model_max_length"] = min(tokenizer_config.get("model_max_length", 512), shape["max_positions"])
    with open(os.path.join(args.out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_config, f, indent=2)
        f.write("\n")
    special = os.path.join(args.tokenizer_from, "special_tokens_map.json")
    if os.path.exists(special):
        shutil.copyfile(special, os.path.join(args.out, "special_tokens_map.json"))

    config = {
        "_name_or_path": os.path.basename(os.path.normpath(args.out)),
        "architectures": ["BertForSequenceClassification"],
        "attention_probs_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": shape["hidden"],
        "id2label": {"0": "LABEL_0"},
        "initializer_range": args.std,
        "intermediate_size": shape["intermediate"],
        "label2id": {"LABEL_0": 0},
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": shape["max_positions"],
        "model_type": "bert",
        "num_attention_heads": shape["heads"],
        "num_hidden_layers": shape["layers"],
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "type_vocab_size": 2,
        "vocab_size": vocab_size,
        "note": f"TEST ONLY: random weights (seed {args.seed}, normal std {args.std}, LayerNorm 1/0, biases 0); "
        "a cross-encoder's architecture with meaningless scores. Built by scripts/build-random-cross-encoder.py.",
    }
    with open(os.path.join(args.out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")

    for variant in variants:
        quantized = variant == "quantized"
        model = build(shape, vocab_size, args.seed, args.std, quantized)
        file = os.path.join(args.out, "onnx", "model_quantized.onnx" if quantized else "model.onnx")
        onnx.save(model, file)
        print(f"wrote {file} ({os.path.getsize(file) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
