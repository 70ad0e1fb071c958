#!/usr/bin/env python3
"""Build the musicnn (MSD) model bundle for eno.

Steps, all run in order by default:

  onnx        rebuild the MSD_musicnn network from the installed `musicnn`
              package in inference mode, restore its checkpoint, freeze it and
              convert it to models/musicnn-msd/model.onnx
              (input `logmel` [batch,187,96] -> outputs `activations` [batch,50]
              after sigmoid and `embedding` [batch,200], the penultimate layer).
  parity      feed the same real log-mel patches to the TensorFlow network and
              to model.onnx (onnxruntime, CPU) and write export/parity.json.
              Exits non-zero when activations differ by more than 1e-4.
  references  run musicnn's own extractor over the shared audio clips and write
              reference/<clip>.json (taggram + penultimate per patch), plus
              reference/mel-synthetic.json for checking a log-mel front end.
  manifest    write export/threshold-report.json and eno-model.json.

Run through export.sh, which prepares the pinned Python environment first.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import inspect
import io
import json
import math
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import warnings  # noqa: E402

# musicnn builds its network with tf.compat.v1.layers, which warns on every layer.
warnings.filterwarnings("ignore", message=r"`tf\.layers\.", category=UserWarning)

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
BUNDLE = HERE.parent
REPO_ROOT = BUNDLE.parent.parent
DEFAULT_AUDIO_DIR = REPO_ROOT.parent / "shared" / "audio"
MUSIC_SUBDIR = "music"
AUDIO_EXTENSIONS = {".mp3", ".ogg", ".wav", ".flac"}

MODEL_NAME = "MSD_musicnn"
N_FRAMES = 187  # 3 s patches, as musicnn's extractor computes for input_length=3
N_MELS = 96
SAMPLE_RATE = 16000
N_FFT = 512
HOP = 256
ONNX_OPSET = 17

INPUT_NAME = "logmel"
OUT_ACTIVATIONS = "activations"
OUT_EMBEDDING = "embedding"
EMBEDDING_DIM = 200

# Parity gates (model.onnx against the TensorFlow network on identical input).
ACTIVATION_TOLERANCE = 1e-4
EMBEDDING_TOLERANCE = 1e-3

# Tag categories and default thresholds written into the manifest.
# Thresholds are fixed per category on purpose: the handful of reference clips
# is far too small a sample to tune per-tag values. threshold-report.json shows
# how the reference clips score against them, for review.
CATEGORY_THRESHOLDS = {
    "genre": 0.2,
    "descriptor": 0.15,
    "era": 0.15,
    "vocal": 0.2,
    "instrument": 0.15,
    "other": 0.2,
}
TAG_CATEGORIES = {
    "era": ["00s", "60s", "70s", "80s", "90s", "oldies"],
    "vocal": ["female vocalists", "female vocalist", "male vocalists", "instrumental"],
    "instrument": ["guitar", "acoustic"],
    "descriptor": ["beautiful", "Mellow", "chill", "chillout", "sexy", "catchy",
                   "party", "sad", "happy", "easy listening"],
}

MODEL_PATH = BUNDLE / "model.onnx"
MANIFEST_PATH = BUNDLE / "eno-model.json"
REFERENCE_DIR = BUNDLE / "reference"
PARITY_PATH = HERE / "parity.json"
THRESHOLD_REPORT_PATH = HERE / "threshold-report.json"


def log(*parts):
    print("[export]", *parts, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# TensorFlow side
# --------------------------------------------------------------------------

def tf_module():
    import tensorflow as tf

    # musicnn's extractor runs the network in TF1 graph mode; do the same.
    tf.compat.v1.disable_eager_execution()
    tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.ERROR)
    return tf


def checkpoint_prefix() -> str:
    import musicnn

    # The checkpoint files are named ".index" / ".data-*" inside the model
    # folder, so the prefix is the folder path with a trailing slash.
    return os.path.join(os.path.dirname(musicnn.__file__), MODEL_NAME) + "/"


def musicnn_labels() -> list[str]:
    from musicnn import configuration

    return list(configuration.MSD_LABELS)


class TFNetwork:
    """MSD_musicnn rebuilt with musicnn's own model code, checkpoint restored.

    constant_inference=True wires is_training to a constant False (what gets
    exported); otherwise is_training is a placeholder fed with False, exactly
    as musicnn's extractor runs it.
    """

    def __init__(self, constant_inference: bool):
        tf = tf_module()
        from musicnn import models

        self.tf = tf
        self.constant_inference = constant_inference
        self.graph = tf.Graph()
        labels = musicnn_labels()
        with self.graph.as_default():
            x = tf.compat.v1.placeholder(tf.float32, [None, N_FRAMES, N_MELS], name=INPUT_NAME)
            if constant_inference:
                is_training = tf.constant(False, dtype=tf.bool, name="is_training")
            else:
                is_training = tf.compat.v1.placeholder(tf.bool, name="is_training")
            with tf.name_scope("model"):
                out = models.define_model(x, is_training, MODEL_NAME, len(labels))
            logits, penultimate = out[0], out[-1]
            activations = tf.identity(tf.nn.sigmoid(logits), name=OUT_ACTIVATIONS)
            embedding = tf.identity(penultimate, name=OUT_EMBEDDING)
            self.x, self.is_training = x, is_training
            self.activations, self.embedding = activations, embedding
            self.sess = tf.compat.v1.Session(graph=self.graph)
            self._restore_strict()

    def _restore_strict(self):
        # musicnn's extractor swallows restore errors; here any mismatch between
        # graph and checkpoint is fatal.
        tf = self.tf
        prefix = checkpoint_prefix()
        reader = tf.compat.v1.train.NewCheckpointReader(prefix)
        ckpt_shapes = reader.get_variable_to_shape_map()
        graph_vars = self.graph.get_collection(tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)
        missing, bad_shape = [], []
        for v in graph_vars:
            name = v.op.name
            if name not in ckpt_shapes:
                missing.append(name)
            elif list(ckpt_shapes[name]) != v.shape.as_list():
                bad_shape.append((name, ckpt_shapes[name], v.shape.as_list()))
        if missing or bad_shape:
            raise SystemExit(f"checkpoint does not match the graph: missing={missing} shape={bad_shape}")
        model_vars_in_ckpt = {n for n in ckpt_shapes
                              if not n.endswith(("/Adam", "/Adam_1")) and n not in ("beta1_power", "beta2_power")}
        unused = sorted(model_vars_in_ckpt - {v.op.name for v in graph_vars})
        if unused:
            raise SystemExit(f"checkpoint has model variables the graph does not use: {unused}")
        with self.graph.as_default():
            saver = tf.compat.v1.train.Saver(var_list=graph_vars)
            saver.restore(self.sess, prefix)
        self.n_variables = len(graph_vars)
        self.n_parameters = int(sum(np.prod(v.shape.as_list()) for v in graph_vars))

    def run(self, batch: np.ndarray, batch_size: int = 1):
        """Return (activations, embedding), running batch_size patches at a time."""
        acts, embs = [], []
        for i in range(0, batch.shape[0], batch_size):
            feed = {self.x: batch[i:i + batch_size]}
            if not self.constant_inference:
                feed[self.is_training] = False
            a, e = self.sess.run([self.activations, self.embedding], feed_dict=feed)
            acts.append(a)
            embs.append(e)
        return np.concatenate(acts, axis=0), np.concatenate(embs, axis=0)

    def frozen_graph_def(self):
        tf = self.tf
        with self.graph.as_default():
            gd = tf.compat.v1.graph_util.convert_variables_to_constants(
                self.sess, self.graph.as_graph_def(), [OUT_ACTIVATIONS, OUT_EMBEDDING])
        return gd

    def close(self):
        self.sess.close()


# --------------------------------------------------------------------------
# ONNX export
# --------------------------------------------------------------------------

def export_onnx() -> dict:
    import onnx
    import tf2onnx

    net = TFNetwork(constant_inference=True)
    log(f"restored {net.n_variables} variables ({net.n_parameters} parameters) from {checkpoint_prefix()}")
    frozen = net.frozen_graph_def()
    tf_ops = sorted({n.op for n in frozen.node})
    training_ops = [n.name for n in frozen.node
                    if n.op in ("Switch", "Merge", "RandomUniform", "AssignMovingAvg", "AssignSubVariableOp")]
    if training_ops:
        raise SystemExit(f"frozen inference graph still has training-only nodes: {training_ops[:10]}")
    net.close()

    model_proto, _ = tf2onnx.convert.from_graph_def(
        frozen,
        input_names=[f"{INPUT_NAME}:0"],
        output_names=[f"{OUT_ACTIVATIONS}:0", f"{OUT_EMBEDDING}:0"],
        opset=ONNX_OPSET,
        tensors_to_rename={
            f"{INPUT_NAME}:0": INPUT_NAME,
            f"{OUT_ACTIVATIONS}:0": OUT_ACTIVATIONS,
            f"{OUT_EMBEDDING}:0": OUT_EMBEDDING,
        },
    )

    graph = model_proto.graph
    folded = fold_affine_into_matmul(graph)
    # Symbolic batch dimension first: the reshape pass relies on it.
    for vi in list(graph.input) + list(graph.output):
        dim0 = vi.type.tensor_type.shape.dim[0]
        dim0.ClearField("dim_value")
        dim0.dim_param = "batch"
    del graph.value_info[:]
    removed_reshapes = simplify_reshapes(model_proto)
    canonicalize(graph)
    # tf2onnx declares the ai.onnx.ml domain even though no node uses it.
    used_domains = {n.domain for n in graph.node}
    kept = [op for op in model_proto.opset_import if op.domain in ("", "ai.onnx") or op.domain in used_domains]
    del model_proto.opset_import[:]
    model_proto.opset_import.extend(kept)
    graph.name = "musicnn_msd"
    model_proto.doc_string = (
        "musicnn MSD_musicnn music auto-tagger (50 Million Song Dataset tags). "
        "Input: log-mel patches [batch,187,96], log10(1+10000*mel) of 16 kHz audio. "
        "Outputs: sigmoid tag activations [batch,50] and the 200-d penultimate embedding."
    )
    del model_proto.metadata_props[:]
    meta = {
        "eno.bundle": "musicnn-msd",
        "source": "musicnn 0.1.0 (PyPI) checkpoint MSD_musicnn",
        "licence": "ISC (musicnn, Jordi Pons et al.)",
        "tags": json.dumps(musicnn_labels()),
    }
    for k, v in meta.items():
        model_proto.metadata_props.append(onnx.StringStringEntryProto(key=k, value=v))

    onnx.checker.check_model(model_proto, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model_proto, check_type=True, strict_mode=True)
    out_shapes = {}
    for vi in inferred.graph.output:
        out_shapes[vi.name] = [d.dim_param or d.dim_value for d in vi.type.tensor_type.shape.dim]
    expected = {OUT_ACTIVATIONS: ["batch", 50], OUT_EMBEDDING: ["batch", EMBEDDING_DIM]}
    if out_shapes != expected:
        raise SystemExit(f"unexpected ONNX output shapes {out_shapes}, wanted {expected}")
    in_vi = graph.input[0]
    if [i.name for i in graph.input] != [INPUT_NAME] or \
            [d.dim_param or d.dim_value for d in in_vi.type.tensor_type.shape.dim] != ["batch", N_FRAMES, N_MELS] or \
            in_vi.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
        raise SystemExit(f"unexpected ONNX input {in_vi}")

    MODEL_PATH.write_bytes(model_proto.SerializeToString())
    op_counts: dict[str, int] = {}
    for node in graph.node:
        op_counts[node.op_type] = op_counts.get(node.op_type, 0) + 1
    info = {
        "opset": ONNX_OPSET,
        "bytes": MODEL_PATH.stat().st_size,
        "sha256": sha256_file(MODEL_PATH),
        "nodes": len(graph.node),
        "op_counts": dict(sorted(op_counts.items())),
        "tf_frozen_ops": tf_ops,
        "parameters": net.n_parameters,
        "checkpoint_data_sha256": sha256_file(Path(checkpoint_prefix() + ".data-00000-of-00001")),
        "batchnorm_folded_into_dense": folded,
        "redundant_reshapes_removed": removed_reshapes,
    }
    log(f"wrote {MODEL_PATH.relative_to(REPO_ROOT)} ({info['bytes']} bytes, {info['nodes']} nodes: {info['op_counts']})")
    return info


def fold_affine_into_matmul(graph) -> int:
    """Fold inference batch-norm on dense inputs into the dense layer.

    TF's batch_normalization on a 2-D tensor freezes into x*scale + offset.
    When that feeds a MatMul (+ bias Add) and nothing else reads it,
    (x*s + t) @ W + b == x @ (s[:,None]*W) + (t @ W + b), which removes two
    nodes. Returns the number of folds done.
    """
    from onnx import numpy_helper

    inits = {i.name: i for i in graph.initializer}
    consumers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    producer = {o: n for n in graph.node for o in n.output}
    graph_outputs = {o.name for o in graph.output}

    def const(name):
        return numpy_helper.to_array(inits[name]).astype(np.float64) if name in inits else None

    def single_use(tensor):
        return tensor not in graph_outputs and len(consumers.get(tensor, [])) == 1

    folds = 0
    for mm in [n for n in graph.node if n.op_type == "MatMul"]:
        add_t = producer.get(mm.input[0])
        if add_t is None or add_t.op_type != "Add" or not single_use(add_t.output[0]):
            continue
        mul = producer.get(add_t.input[0])
        t = const(add_t.input[1])
        if mul is None or mul.op_type != "Mul" or t is None or not single_use(mul.output[0]):
            continue
        s = const(mul.input[1])
        w = const(mm.input[1])
        if s is None or w is None or s.ndim != 1 or t.ndim != 1 or w.ndim != 2 or s.shape[0] != w.shape[0]:
            continue
        bias_add = consumers.get(mm.output[0], [None])[0]
        if bias_add is None or bias_add.op_type != "Add" or not single_use(mm.output[0]):
            continue
        b = const(bias_add.input[1])
        if b is None or b.shape != (w.shape[1],):
            continue
        new_w = (s[:, None] * w).astype(np.float32)
        new_b = (t @ w + b).astype(np.float32)
        w_name, b_name = mm.input[1] + "_bnfold", bias_add.input[1] + "_bnfold"
        graph.initializer.append(numpy_helper.from_array(new_w, w_name))
        graph.initializer.append(numpy_helper.from_array(new_b, b_name))
        mm.input[0] = mul.input[0]
        mm.input[1] = w_name
        bias_add.input[1] = b_name
        graph.node.remove(mul)
        graph.node.remove(add_t)
        folds += 1
    # Drop initializers nothing reads any more.
    used = {name for n in graph.node for name in n.input}
    for init in [i for i in graph.initializer if i.name not in used]:
        graph.initializer.remove(init)
    return folds


RESHAPE_LIKE = {"Reshape", "Unsqueeze", "Squeeze", "Flatten"}


def simplify_reshapes(model) -> int:
    """Remove redundant reshapes left by the NHWC->NCHW conversion.

    A Reshape to a constant shape does not care how its input was reshaped
    before, so it can read straight from before a chain of Reshape/Unsqueeze/
    Squeeze; a Reshape whose input already has the target shape is dropped.
    Which of these tf2onnx leaves behind varies between runs, so this also
    brings every export to the same graph. Returns the number of nodes removed.
    """
    from onnx import helper, numpy_helper, shape_inference

    graph = model.graph
    before = len(graph.node)
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    outputs = {o.name for o in graph.output}

    def const_shape(node):
        if node.op_type != "Reshape" or node.input[1] not in inits:
            return None
        shape = inits[node.input[1]]
        if any(a.name == "allowzero" and a.i for a in node.attribute) or (shape == 0).any():
            return None
        return [int(v) for v in shape]

    changed = True
    while changed:
        changed = False
        producer = {out: n for n in graph.node for out in n.output}
        for node in graph.node:
            if const_shape(node) is None:
                continue
            src = producer.get(node.input[0])
            if src is not None and src.op_type in RESHAPE_LIKE:
                node.input[0] = src.input[0]
                changed = True
        inferred = shape_inference.infer_shapes(model)
        shapes = {}
        for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
            shapes[vi.name] = [d.dim_param if d.dim_param else (d.dim_value if d.HasField("dim_value") else None)
                               for d in vi.type.tensor_type.shape.dim]
        # Transpose then a Reshape that only moves size-1 axes: one Transpose.
        producer = {out: n for n in graph.node for out in n.output}
        for node in graph.node:
            target = const_shape(node)
            src = producer.get(node.input[0])
            if target is None or src is None or src.op_type != "Transpose":
                continue
            in_shape = shapes.get(src.input[0])
            perm = [list(a.ints) for a in src.attribute if a.name == "perm"]
            if not in_shape or not perm or None in in_shape or len(in_shape) != len(target):
                continue
            perm = perm[0]
            moved = [a for a in perm if in_shape[a] != 1]
            want = [t for t in target if t != 1]
            if [-1 if isinstance(in_shape[a], str) else in_shape[a] for a in moved] != want \
                    or sum(isinstance(d, str) for d in in_shape) > 1:
                continue
            units = iter(sorted(a for a in range(len(in_shape)) if in_shape[a] == 1))
            big = iter(moved)
            new_perm = [next(units) if t == 1 else next(big) for t in target]
            node.op_type = "Transpose"
            del node.input[:]
            node.input.append(src.input[0])
            del node.attribute[:]
            node.attribute.append(helper.make_attribute("perm", new_perm))
            changed = True
        if changed:
            continue
        # Identity reshapes: the input already has the target shape.
        for node in list(graph.node):
            target = const_shape(node)
            have = shapes.get(node.input[0])
            if target is None or have is None or node.output[0] in outputs or len(have) != len(target):
                continue
            # The batch dimension is symbolic (its name changes after each reshape).
            if all((t == -1 and isinstance(h, str)) or (t == h) for t, h in zip(target, have)) \
                    and target.count(-1) <= 1 and sum(isinstance(h, str) for h in have) <= 1:
                for other in graph.node:
                    for k, name in enumerate(other.input):
                        if name == node.output[0]:
                            other.input[k] = node.input[0]
                graph.node.remove(node)
                changed = True
        # Dead nodes.
        used = {i for n in graph.node for i in n.input} | outputs
        for node in list(graph.node):
            if not any(o in used for o in node.output):
                graph.node.remove(node)
                changed = True
    used = {i for n in graph.node for i in n.input}
    for init in [i for i in graph.initializer if i.name not in used]:
        graph.initializer.remove(init)
    return before - len(graph.node)


def canonicalize(graph) -> None:
    """Put nodes in a structural order and give everything stable names.

    tf2onnx names (and partly orders) the nodes and helper constants it creates
    in an order that changes from run to run. Here nodes are sorted
    topologically with ties broken by a structural hash (op, attributes,
    inputs), then named <Op>_<index>; intermediate tensors are named after
    their producer, and initializers keep their TensorFlow variable-derived
    name when they have one. Repeated exports are then byte-identical.
    Graph inputs and outputs keep their names.
    """
    import heapq
    import re
    from onnx import numpy_helper

    keep = {i.name for i in graph.input} | {o.name for o in graph.output}
    inits = {i.name: i for i in graph.initializer}

    def digest(*parts) -> str:
        h = hashlib.sha256()
        for part in parts:
            h.update(part if isinstance(part, bytes) else str(part).encode())
            h.update(b"\x00")
        return h.hexdigest()

    tensor_sig: dict[str, str] = {i.name: digest("input", i.name) for i in graph.input}
    for name, init in inits.items():
        arr = numpy_helper.to_array(init)
        tensor_sig[name] = digest("init", arr.dtype.str, arr.shape, arr.tobytes())
    node_sig = {}
    for node in graph.node:  # already topologically sorted
        attrs = sorted((a.name, a.SerializeToString()) for a in node.attribute)
        sig = digest(node.domain, node.op_type, *[x for a in attrs for x in a],
                     *[tensor_sig.get(i, "none") for i in node.input])
        node_sig[id(node)] = sig
        for k, out in enumerate(node.output):
            tensor_sig[out] = digest(sig, k)

    producer = {out: node for node in graph.node for out in node.output}
    pending = {id(n): sum(1 for i in n.input if i in producer) for n in graph.node}
    consumers: dict[str, list] = {}
    for node in graph.node:
        for i in node.input:
            consumers.setdefault(i, []).append(node)
    tiebreak = iter(range(1 << 30))
    ready = [(node_sig[id(n)], next(tiebreak), n) for n in graph.node if pending[id(n)] == 0]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _, _, node = heapq.heappop(ready)
        ordered.append(node)
        for out in node.output:
            for c in consumers.get(out, []):
                pending[id(c)] -= 1
                if pending[id(c)] == 0:
                    heapq.heappush(ready, (node_sig[id(c)], next(tiebreak), c))
    if len(ordered) != len(graph.node):
        raise SystemExit("ONNX graph is not a DAG")

    tensor_map: dict[str, str] = {}
    for idx, node in enumerate(ordered):
        node.name = f"{node.op_type}_{idx}"
        node.ClearField("doc_string")
        if not node.domain:
            node.ClearField("domain")  # same bytes whether or not "" was set explicitly
        for k, out in enumerate(node.output):
            if out and out not in keep:
                tensor_map[out] = f"{node.name}:{k}"
    used_names: set[str] = set()
    for node in ordered:
        for slot, name in enumerate(node.input):
            if name in inits and name not in tensor_map:
                tf_name = re.sub(r"(/ReadVariableOp(_\d+)?)?:0$", "", name)
                if name.startswith("model/") and not re.search(r"__\d+", name) and tf_name not in used_names:
                    new = tf_name
                else:
                    new = f"{node.name}/input{slot}"
                tensor_map[name] = new
                used_names.add(new)
    for node in ordered:
        for k, name in enumerate(node.input):
            if name in tensor_map:
                node.input[k] = tensor_map[name]
        for k, name in enumerate(node.output):
            if name in tensor_map:
                node.output[k] = tensor_map[name]
    new_inits = sorted(graph.initializer, key=lambda i: tensor_map.get(i.name, i.name))
    for init in new_inits:
        init.name = tensor_map.get(init.name, init.name)
    nodes = [type(n)() for n in ordered]
    for dst, src in zip(nodes, ordered):
        dst.CopyFrom(src)
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(new_inits)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def onnx_session():
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    return ort.InferenceSession(str(MODEL_PATH), sess_options=opts, providers=["CPUExecutionProvider"])


def onnx_run(sess, batch: np.ndarray, batch_size: int):
    acts, embs = [], []
    for i in range(0, batch.shape[0], batch_size):
        a, e = sess.run([OUT_ACTIVATIONS, OUT_EMBEDDING], {INPUT_NAME: batch[i:i + batch_size].astype(np.float32)})
        acts.append(a)
        embs.append(e)
    return np.concatenate(acts, axis=0), np.concatenate(embs, axis=0)


# --------------------------------------------------------------------------
# Audio helpers (the reference way: musicnn's own batch_data)
# --------------------------------------------------------------------------

def list_clips(audio_dir: Path) -> list[Path]:
    music = audio_dir / MUSIC_SUBDIR
    if not music.is_dir():
        raise SystemExit(f"no audio folder at {music} (use --audio-dir)")
    return sorted(p for p in music.iterdir() if p.suffix.lower() in AUDIO_EXTENSIONS and p.is_file())


def reference_patches(path: Path) -> np.ndarray:
    """Log-mel patches exactly as musicnn's extractor computes them."""
    from musicnn.extractor import batch_data

    batch, _ = batch_data(str(path), N_FRAMES, N_FRAMES)
    return np.asarray(batch, dtype=np.float32)


def versions() -> dict:
    import librosa
    import soundfile
    import soxr
    import tensorflow as tf
    import importlib.metadata as md

    out = {
        "python": "%d.%d.%d" % sys.version_info[:3],
        "tensorflow": tf.__version__,
        "numpy": np.__version__,
        "librosa": librosa.__version__,
        "soundfile": soundfile.__version__,
        "libsndfile": soundfile.__libsndfile_version__,
        "soxr": soxr.__version__,
        "musicnn": md.version("musicnn"),
    }
    for mod in ("tf2onnx", "onnx", "onnxruntime"):
        out[mod] = md.version(mod)
    return out


def librosa_defaults() -> dict:
    """Defaults librosa applies in the extractor's calls (load, stft, mel)."""
    import librosa

    load = inspect.signature(librosa.load).parameters
    stft = inspect.signature(librosa.stft).parameters
    mel_spec = inspect.signature(librosa.feature.melspectrogram).parameters
    mel = inspect.signature(librosa.filters.mel).parameters
    return {
        "res_type": load["res_type"].default,
        "mono": load["mono"].default,
        "load_dtype": np.dtype(load["dtype"].default).name,
        "window": mel_spec["window"].default,
        "center": mel_spec["center"].default,
        "pad_mode": mel_spec["pad_mode"].default,
        "stft_pad_mode": stft["pad_mode"].default,
        "power": mel_spec["power"].default,
        "fmin": mel["fmin"].default,
        "fmax": mel["fmax"].default,
        "htk": mel["htk"].default,
        "norm": mel["norm"].default,
        "mel_dtype": np.dtype(mel["dtype"].default).name,
    }


# --------------------------------------------------------------------------
# Parity
# --------------------------------------------------------------------------

def diff_stats(a: np.ndarray, b: np.ndarray) -> dict:
    d = np.abs(a.astype(np.float64) - b.astype(np.float64))
    return {"max_abs_diff": float(d.max()), "mean_abs_diff": float(d.mean())}


def check_parity(audio_dir: Path) -> dict:
    clips = list_clips(audio_dir)
    patches, per_clip = [], []
    for clip in clips:
        b = reference_patches(clip)
        patches.append(b)
        per_clip.append({"clip": f"{MUSIC_SUBDIR}/{clip.name}", "patches": int(b.shape[0])})
    # A silent patch (log10(1+0) = 0 everywhere), as found at the start of many tracks.
    patches.append(np.zeros((1, N_FRAMES, N_MELS), dtype=np.float32))
    batch = np.concatenate(patches, axis=0)
    n = int(batch.shape[0])
    log(f"parity: {n} patches ({n - 1} from {len(clips)} clips, 1 silent)")

    net = TFNetwork(constant_inference=False)  # the extractor's wiring, is_training fed False
    t0 = time.perf_counter()
    tf_act, tf_emb = net.run(batch, batch_size=1)
    tf_secs = time.perf_counter() - t0
    net.close()

    sess = onnx_session()
    runs = []
    worst_act = np.zeros_like(tf_act, dtype=np.float64)
    worst_emb = np.zeros_like(tf_emb, dtype=np.float64)
    onnx_outputs = {}
    for bs in (1, 7, n):
        t0 = time.perf_counter()
        o_act, o_emb = onnx_run(sess, batch, bs)
        secs = time.perf_counter() - t0
        onnx_outputs[bs] = (o_act, o_emb)
        worst_act = np.maximum(worst_act, np.abs(o_act.astype(np.float64) - tf_act))
        worst_emb = np.maximum(worst_emb, np.abs(o_emb.astype(np.float64) - tf_emb))
        runs.append({
            "onnx_batch_size": bs,
            "activations": diff_stats(o_act, tf_act),
            "embedding": diff_stats(o_emb, tf_emb),
            "onnx_seconds": round(secs, 4),
        })
    a1, e1 = onnx_outputs[1]
    batch_consistency = max(
        max(float(np.abs(onnx_outputs[bs][0] - a1).max()), float(np.abs(onnx_outputs[bs][1] - e1).max()))
        for bs in onnx_outputs)

    labels = musicnn_labels()
    act_max = float(worst_act.max())
    emb_max = float(worst_emb.max())
    result = {
        "model": MODEL_NAME,
        "onnx_file": "model.onnx",
        "onnx_sha256": sha256_file(MODEL_PATH),
        "patches": n,
        "clips": per_clip,
        "extra_patches": ["silence (all zeros)"],
        "input": "musicnn.extractor.batch_data(file, 187, 187): librosa log-mel, float16 before log, no overlap",
        "tf_reference": "musicnn.models.define_model, is_training placeholder fed False, batch size 1 (as the extractor)",
        "tf_seconds": round(tf_secs, 4),
        "tolerance": {"activations": ACTIVATION_TOLERANCE, "embedding": EMBEDDING_TOLERANCE},
        "activations": {
            "max_abs_diff": act_max,
            "mean_abs_diff": float(np.mean([r["activations"]["mean_abs_diff"] for r in runs])),
            "per_tag_max_abs_diff": {t: float(worst_act[:, i].max()) for i, t in enumerate(labels)},
        },
        "embedding": {
            "max_abs_diff": emb_max,
            "mean_abs_diff": float(np.mean([r["embedding"]["mean_abs_diff"] for r in runs])),
            "max_abs_value": float(np.abs(tf_emb).max()),
            "per_dim_max_abs_diff_max": float(worst_emb.max(axis=0).max()),
            "per_dim_max_abs_diff_median": float(np.median(worst_emb.max(axis=0))),
        },
        "runs": runs,
        "onnx_batch_consistency_max_abs_diff": batch_consistency,
        "versions": versions(),
    }
    result["passed"] = bool(act_max <= ACTIVATION_TOLERANCE and emb_max <= EMBEDDING_TOLERANCE)
    log(f"parity: activations max |diff| {act_max:.3g}, embedding max |diff| {emb_max:.3g}, "
        f"ONNX batch-size consistency {batch_consistency:.3g}")
    return result


# --------------------------------------------------------------------------
# Reference fixtures
# --------------------------------------------------------------------------

def rounded(arr: np.ndarray, decimals: int = 6):
    return [[round(float(v), decimals) for v in row] for row in np.asarray(arr)]


def make_references(audio_dir: Path) -> dict:
    import librosa
    import soundfile as sf
    from musicnn.extractor import extractor

    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    clips = list_clips(audio_dir)
    names = [c.stem for c in clips]
    if len(set(names)) != len(names):
        raise SystemExit("two clips share a basename; reference file names would collide")
    labels = musicnn_labels()
    lib = librosa_defaults()
    vers = versions()
    ref_versions = {
        "librosa": vers["librosa"],
        "tensorflow": vers["tensorflow"],
        "numpy": vers["numpy"],
        "soundfile": vers["soundfile"],
        "libsndfile": vers["libsndfile"],
        "soxr": vers["soxr"],
        "musicnn": vers["musicnn"],
        "res_type": lib["res_type"],
    }
    sess = onnx_session()
    # musicnn 0.1.0's extractor returns the FIRST patch's penultimate for every
    # later patch (its loop concatenates a stale variable), so the per-patch
    # embedding is recomputed with the same TF network on the extractor's own
    # patches; the extractor's first row and its taggram are checked against it.
    net = TFNetwork(constant_inference=False)
    done, failed, checks = [], [], []
    for clip in clips:
        rel = f"{MUSIC_SUBDIR}/{clip.name}"
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                taggram, tags, features = extractor(
                    str(clip), model=MODEL_NAME, input_length=3, input_overlap=False, extract_features=True)
        except Exception as exc:  # report and go on with the other clips
            failed.append({"clip": rel, "error": f"{type(exc).__name__}: {exc}"})
            log(f"references: {rel} FAILED in musicnn's extractor: {type(exc).__name__}: {exc}")
            continue
        if list(tags) != labels:
            raise SystemExit("extractor labels differ from musicnn.configuration.MSD_LABELS")
        taggram = np.asarray(taggram, dtype=np.float32).reshape(-1, len(labels))
        extractor_pen = np.asarray(features["penultimate"], dtype=np.float32).reshape(-1, EMBEDDING_DIM)
        y, sr = librosa.load(str(clip), sr=SAMPLE_RATE)
        n_frames = 1 + len(y) // HOP  # librosa stft frames with center=True
        info = sf.info(str(clip))

        patches = reference_patches(clip)
        if patches.shape[0] != taggram.shape[0]:
            raise SystemExit(f"{rel}: extractor gave {taggram.shape[0]} patches, batch_data {patches.shape[0]}")
        tf_act, penultimate = net.run(patches, batch_size=1)
        tf_vs_extractor = float(np.abs(tf_act - taggram).max())
        first_row = float(np.abs(penultimate[0] - extractor_pen[0]).max())
        if tf_vs_extractor > 1e-6 or first_row > 1e-6:
            raise SystemExit(f"{rel}: TF network and musicnn's extractor disagree "
                             f"(taggram {tf_vs_extractor:.3g}, penultimate[0] {first_row:.3g})")
        # End-to-end check: the extractor's taggram against model.onnx on the same patches.
        o_act, o_emb = onnx_run(sess, patches, patches.shape[0])
        chk = {"clip": rel, "patches": int(taggram.shape[0]),
               "activations": diff_stats(o_act, taggram), "embedding": diff_stats(o_emb, penultimate),
               "tf_vs_extractor_taggram_max_abs_diff": tf_vs_extractor}
        checks.append(chk)

        doc = {
            "clip": rel,
            "model": MODEL_NAME,
            "extractor_args": {"input_length": 3, "input_overlap": False, "extract_features": True},
            "tags": labels,
            "taggram": rounded(taggram),
            "penultimate": rounded(penultimate),
            "penultimate_source": ("MSD_musicnn TF network (is_training=False) on the extractor's own patches; "
                                   "musicnn 0.1.0's extractor repeats patch 0's penultimate for later patches"),
            "n_samples_16k": int(len(y)),
            "n_frames": int(n_frames),
            "patch_frames": N_FRAMES,
            "n_patches": int(taggram.shape[0]),
            "source": {"sample_rate": int(info.samplerate), "channels": int(info.channels),
                       "frames": int(info.frames), "format": info.format, "subtype": info.subtype},
            "versions": ref_versions,
        }
        out = REFERENCE_DIR / f"{clip.stem}.json"
        out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
        done.append({"clip": rel, "file": f"reference/{out.name}", "patches": int(taggram.shape[0]),
                     "track_scores": taggram.mean(axis=0), "taggram": taggram})
        log(f"references: {rel}: {taggram.shape[0]} patches, top "
            f"{[labels[i] for i in np.argsort(-taggram.mean(axis=0))[:5]]}, "
            f"onnx max |diff| {chk['activations']['max_abs_diff']:.2g}")
    net.close()
    if len(done) < 4:
        raise SystemExit(f"only {len(done)} clips produced references (need at least 4)")
    write_synthetic_mel()
    return {"done": done, "failed": failed, "extractor_vs_onnx": checks}


# Deterministic test signal for a log-mel front end. Written as evaluated, in
# float64, left to right; the samples are then rounded to float32.
SYNTH = {
    "sample_rate": 16000,
    "n_samples": 27200,
    "duration_seconds": 1.7,
    "formula": (
        "for n in 0..n_samples-1: t = n / 16000; "
        "x = 0.5 * sin(2 * PI * 220 * t) + 0.25 * sin(2 * PI * 1234.5 * t) + 0.125 * sin(2 * PI * 5000 * t) "
        "+ 0.1 * sin(2 * PI * (100 * t + 0.5 * (6900 / 1.7) * t * t)); sample[n] = float32(x)"
    ),
    "notes": (
        "Every operation is IEEE-754 float64 evaluated left to right (((2 * PI) * 220) * t etc.), "
        "PI = 3.141592653589793, sin = the C library sin. The last term is a linear chirp from 100 Hz "
        "at t=0 to 7000 Hz at t=1.7 s. Different sin implementations can differ by 1 ulp in float64, "
        "which very rarely changes the float32 result: compare against signal_f32le_sha256, and use "
        "signal_f32le_base64 (the exact samples, little-endian float32) when checking the spectrogram."
    ),
}


def synth_signal() -> np.ndarray:
    n_samples = SYNTH["n_samples"]
    pi = math.pi
    out = np.empty(n_samples, dtype=np.float32)
    for n in range(n_samples):
        t = n / 16000
        x = (0.5 * math.sin(2 * pi * 220 * t)
             + 0.25 * math.sin(2 * pi * 1234.5 * t)
             + 0.125 * math.sin(2 * pi * 5000 * t)
             + 0.1 * math.sin(2 * pi * (100 * t + 0.5 * (6900 / 1.7) * t * t)))
        out[n] = np.float32(x)
    return out


def f32_list(arr: np.ndarray):
    """float32 values as the shortest decimals that round-trip through float32."""
    a = np.asarray(arr, dtype=np.float32)
    if a.ndim == 1:
        return [float(repr(v)) if np.isfinite(v) else None for v in a]
    return [f32_list(row) for row in a]


def write_synthetic_mel():
    import librosa

    y = synth_signal()
    lib = librosa_defaults()
    mel = librosa.feature.melspectrogram(y=y, sr=SAMPLE_RATE, hop_length=HOP, n_fft=N_FFT, n_mels=N_MELS)
    basis = librosa.filters.mel(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=N_MELS)
    mel_t = mel.T.astype(np.float32)  # [frames][96], the extractor's orientation
    logmel = np.log10(10000 * mel_t.astype(np.float16) + 1)  # exactly the extractor's expression
    if logmel.dtype != np.float32:
        raise SystemExit(f"unexpected log-mel dtype {logmel.dtype}")
    raw = y.astype("<f4").tobytes()
    doc = {
        "signal": {**SYNTH, "dtype": "float32",
                   "signal_f32le_sha256": hashlib.sha256(raw).hexdigest(),
                   "signal_f32le_base64": base64.b64encode(raw).decode("ascii")},
        "stft": {
            "n_fft": N_FFT, "hop_length": HOP, "win_length": N_FFT,
            "window": lib["window"], "window_periodic": True,
            "center": lib["center"], "pad_mode": lib["pad_mode"],
            "power": lib["power"],
            "precision": ("frames (float32) times the float64 window, real FFT in float64 (numpy.fft), "
                          "result stored as complex64; |X| in float32, then squared in float32"),
        },
        "mel": {
            "sr": SAMPLE_RATE, "n_fft": N_FFT, "n_mels": N_MELS,
            "fmin": lib["fmin"], "fmax": SAMPLE_RATE / 2 if lib["fmax"] is None else lib["fmax"],
            "htk": lib["htk"], "norm": lib["norm"], "dtype": lib["mel_dtype"],
            "product": "mel[m][t] = sum_f mel_basis[m][f] * power[f][t], float32",
        },
        "call": ("librosa.feature.melspectrogram(y=signal, sr=16000, hop_length=256, n_fft=512, n_mels=96), "
                 "transposed to [frames][n_mels]"),
        "n_frames": int(mel_t.shape[0]),
        "mel_basis_shape": list(basis.shape),
        "mel_basis": f32_list(basis),
        "mel_power_shape": list(mel_t.shape),
        "mel_power": f32_list(mel_t),
        "logmel_expression": "log10(10000 * float32(float16(mel_power)) + 1), computed in float32",
        "logmel": f32_list(logmel),
        "versions": {k: v for k, v in versions().items()
                     if k in ("librosa", "numpy", "scipy", "soxr", "soundfile")},
    }
    import scipy
    doc["versions"]["scipy"] = scipy.__version__
    out = REFERENCE_DIR / "mel-synthetic.json"
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    log(f"wrote {out.relative_to(REPO_ROOT)} ({mel_t.shape[0]} frames)")


# --------------------------------------------------------------------------
# Manifest and threshold report
# --------------------------------------------------------------------------

def tag_category(tag: str) -> str:
    for cat, names in TAG_CATEGORIES.items():
        if tag in names:
            return cat
    return "genre"


def load_reference_taggrams() -> list[tuple[str, np.ndarray]]:
    out = []
    for path in sorted(REFERENCE_DIR.glob("*.json")):
        if path.name == "mel-synthetic.json":
            continue
        doc = json.loads(path.read_text())
        out.append((doc["clip"], np.asarray(doc["taggram"], dtype=np.float64)))
    return out


def write_threshold_report_and_manifest():
    import librosa

    labels = musicnn_labels()
    refs = load_reference_taggrams()
    if not refs:
        raise SystemExit("no reference taggrams; run the references step first")
    track_scores = np.stack([tg.mean(axis=0) for _, tg in refs])  # [clips, 50]
    all_patches = np.concatenate([tg for _, tg in refs], axis=0)  # [patches, 50]
    report_tags = []
    for i, tag in enumerate(labels):
        cat = tag_category(tag)
        thr = CATEGORY_THRESHOLDS[cat]
        col = track_scores[:, i]
        report_tags.append({
            "tag": tag,
            "category": cat,
            "threshold": thr,
            "track_score_min": round(float(col.min()), 4),
            "track_score_median": round(float(np.median(col)), 4),
            "track_score_max": round(float(col.max()), 4),
            "patch_p90": round(float(np.percentile(all_patches[:, i], 90)), 4),
            "clips_at_or_above_threshold": int((col >= thr).sum()),
        })
    per_clip = []
    for (clip, _), scores in zip(refs, track_scores):
        order = np.argsort(-scores)
        per_clip.append({
            "clip": clip,
            "top5": [{"tag": labels[j], "score": round(float(scores[j]), 4)} for j in order[:5]],
            "tags_at_or_above_threshold": [labels[j] for j in order
                                           if scores[j] >= CATEGORY_THRESHOLDS[tag_category(labels[j])]],
        })
    report = {
        "rule": ("fixed per-category thresholds (no tuning on these clips); track score = mean over "
                 "patches of the sigmoid activations"),
        "category_thresholds": {k: v for k, v in CATEGORY_THRESHOLDS.items()},
        "clips": len(refs),
        "patches": int(all_patches.shape[0]),
        "tags": report_tags,
        "per_clip": per_clip,
    }
    THRESHOLD_REPORT_PATH.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {THRESHOLD_REPORT_PATH.relative_to(REPO_ROOT)}")

    lib = librosa_defaults()
    if lib["pad_mode"] != lib["stft_pad_mode"]:
        raise SystemExit("librosa melspectrogram and stft disagree on pad_mode")
    manifest = {
        "schema": 1,
        "id": "musicnn-msd",
        "version": "1.0.0",
        "name": "musicnn (MSD)",
        "source": "default",
        "description": ("Music auto-tagging CNN (musicnn, trained on the Million Song Dataset) that predicts "
                        "50 genre, mood, era, vocal and instrument tags from 3-second log-mel patches."),
        "input": {
            "kind": "logmel",
            "name": INPUT_NAME,
            "sample_rate": SAMPLE_RATE,
            "n_fft": N_FFT,
            "hop": HOP,
            "window": lib["window"],
            "center": lib["center"],
            "pad_mode": lib["pad_mode"],
            "power": int(lib["power"]) if float(lib["power"]).is_integer() else lib["power"],
            "n_mels": N_MELS,
            "mel_scale": "htk" if lib["htk"] else "slaney",
            "mel_norm": lib["norm"],
            "fmin": int(lib["fmin"]) if float(lib["fmin"]).is_integer() else lib["fmin"],
            "fmax": SAMPLE_RATE // 2 if lib["fmax"] is None else lib["fmax"],
            "log": "log10(1+10000*x)",
            "float16_before_log": True,
            "patch_frames": N_FRAMES,
            "patch_hop_frames": N_FRAMES,
            "short_clip": "repeat-pad",
        },
        "outputs": {
            "activations": OUT_ACTIVATIONS,
            "embedding": OUT_EMBEDDING,
            "embedding_dim": EMBEDDING_DIM,
        },
        "tags": [{"name": t, "category": tag_category(t), "threshold": CATEGORY_THRESHOLDS[tag_category(t)]}
                 for t in labels],
        "licence": "ISC (musicnn, Jordi Pons et al.); see LICENCE-musicnn.txt",
        "sha256": sha256_file(MODEL_PATH),
    }
    assert librosa.__version__  # the values above come from this librosa
    MANIFEST_PATH.write_text(manifest_text(manifest))
    log(f"wrote {MANIFEST_PATH.relative_to(REPO_ROOT)}")
    return report


def manifest_text(manifest: dict) -> str:
    """2-space indented JSON with one line per tag."""
    marker = "__TAGS__"
    text = json.dumps({**manifest, "tags": marker}, indent=2)
    tags = ",\n".join("    " + json.dumps(t) for t in manifest["tags"])
    text = text.replace(json.dumps(marker), "[\n" + tags + "\n  ]")
    if json.loads(text) != manifest:
        raise SystemExit("manifest formatting changed its content")
    return text + "\n"


# --------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--audio-dir", type=Path, default=Path(os.environ.get("ENO_SHARED_AUDIO", DEFAULT_AUDIO_DIR)),
                    help="shared audio folder holding music/*.mp3|ogg (default: <repo>/../shared/audio)")
    ap.add_argument("--steps", default="onnx,parity,references,manifest",
                    help="comma-separated subset of: onnx,parity,references,manifest")
    args = ap.parse_args(argv)
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = set(steps) - {"onnx", "parity", "references", "manifest"}
    if unknown:
        ap.error(f"unknown steps: {sorted(unknown)}")
    audio_dir = args.audio_dir.resolve()

    export_info = None
    if "onnx" in steps:
        export_info = export_onnx()
    if not MODEL_PATH.exists():
        raise SystemExit(f"{MODEL_PATH} is missing; run the onnx step")

    previous = json.loads(PARITY_PATH.read_text()) if PARITY_PATH.exists() else None
    parity = None
    if "parity" in steps:
        parity = check_parity(audio_dir)
        if "references" not in steps and previous and "extractor_vs_onnx" in previous \
                and previous.get("onnx_sha256") == parity["onnx_sha256"]:
            parity["extractor_vs_onnx"] = previous["extractor_vs_onnx"]  # still about this model.onnx
        if export_info:
            parity["onnx_graph"] = {k: export_info[k] for k in
                                    ("opset", "bytes", "nodes", "op_counts", "parameters", "checkpoint_data_sha256",
                                     "batchnorm_folded_into_dense", "redundant_reshapes_removed")}
    elif previous is not None:
        parity = previous

    if "references" in steps:
        refs = make_references(audio_dir)
        if parity is not None:
            parity["extractor_vs_onnx"] = {
                "note": ("musicnn's own extractor taggram (reference/*.json before rounding) against model.onnx; "
                         "embedding: TF penultimate per patch against model.onnx"),
                "activations_max_abs_diff": max(c["activations"]["max_abs_diff"] for c in refs["extractor_vs_onnx"]),
                "embedding_max_abs_diff": max(c["embedding"]["max_abs_diff"] for c in refs["extractor_vs_onnx"]),
                "clips": refs["extractor_vs_onnx"],
                "failed_clips": refs["failed"],
            }
            e2e = parity["extractor_vs_onnx"]
            if e2e["activations_max_abs_diff"] > ACTIVATION_TOLERANCE or \
                    e2e["embedding_max_abs_diff"] > EMBEDDING_TOLERANCE:
                parity["passed"] = False

    if parity is not None and ("parity" in steps or "references" in steps):
        PARITY_PATH.write_text(json.dumps(parity, indent=2) + "\n")
        log(f"wrote {PARITY_PATH.relative_to(REPO_ROOT)}")

    if "manifest" in steps:
        write_threshold_report_and_manifest()

    if parity is not None and not parity.get("passed", False):
        log(f"PARITY FAILED: activations max |diff| {parity['activations']['max_abs_diff']:.3g} "
            f"(limit {ACTIVATION_TOLERANCE}), embedding {parity['embedding']['max_abs_diff']:.3g} "
            f"(limit {EMBEDDING_TOLERANCE}); extractor check: {parity.get('extractor_vs_onnx', {}).get('activations_max_abs_diff')}")
        return 1
    log("done")
    return 0


if __name__ == "__main__":
    # tf2onnx names helper tensors while iterating over sets, so the bytes of
    # model.onnx (and the sha256 in the manifest) depend on string hashing.
    # Pin it so that repeated exports are byte-identical.
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])
    sys.exit(main())
