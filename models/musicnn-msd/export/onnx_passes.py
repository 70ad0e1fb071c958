"""Clean-up passes applied to the graph tf2onnx produces.

Batch-norm on dense inputs is folded into the dense weights, redundant
reshapes left by the NHWC->NCHW conversion are removed, and nodes, tensors and
initializers are put in a stable order with stable names so that repeated
exports of model.onnx are byte-identical.
"""

from __future__ import annotations

import hashlib

import numpy as np


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
