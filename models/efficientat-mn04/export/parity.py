"""model.onnx against the upstream PyTorch network on the same real log-mel windows."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from upstream import log

ACTIVATION_TOLERANCE = 1e-4
EMBEDDING_TOLERANCE = 1e-3


def diff_stats(a, b) -> dict:
    d = np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))
    return {"max_abs_diff": float(d.max()), "mean_abs_diff": float(d.mean())}


def onnx_session(path: Path):
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def check_parity(mels: np.ndarray, net, session) -> dict:
    """Activations and embeddings of the upstream forward (batch 1) against onnxruntime (batch 1, 3, all)."""
    import torch

    from network import upstream_forward
    with torch.no_grad():
        rows = [upstream_forward(net, torch.from_numpy(mels[i:i + 1])) for i in range(len(mels))]
    ref_act = np.concatenate([r[0].numpy() for r in rows])
    ref_emb = np.concatenate([r[1].numpy() for r in rows])
    results = {}
    for batch in (1, 3, len(mels)):
        acts, embs = [], []
        for i in range(0, len(mels), batch):
            a, e = session.run(["activations", "embedding"], {"logmel": mels[i:i + batch]})
            acts.append(a)
            embs.append(e)
        results[batch] = (np.concatenate(acts), np.concatenate(embs))
    act, emb = results[1]
    report = {
        "windows": int(len(mels)),
        "reference": "upstream MN.forward (batch 1) with torch.sigmoid, as inference.py applies it",
        "activations": diff_stats(act, ref_act),
        "embedding": {**diff_stats(emb, ref_emb), "max_abs_value": float(np.abs(ref_emb).max())},
        "batch_sizes": {str(b): {"activations_max_abs_diff_vs_batch_1": float(np.abs(r[0] - act).max())}
                        for b, r in results.items()},
        "tolerance": {"activations": ACTIVATION_TOLERANCE, "embedding": EMBEDDING_TOLERANCE},
    }
    report["passed"] = bool(report["activations"]["max_abs_diff"] <= ACTIVATION_TOLERANCE
                            and report["embedding"]["max_abs_diff"] <= EMBEDDING_TOLERANCE
                            and all(v["activations_max_abs_diff_vs_batch_1"] <= ACTIVATION_TOLERANCE
                                    for v in report["batch_sizes"].values()))
    log(f"parity: {len(mels)} windows, activations max |diff| {report['activations']['max_abs_diff']:.3g}, "
        f"embedding {report['embedding']['max_abs_diff']:.3g}")
    return report
