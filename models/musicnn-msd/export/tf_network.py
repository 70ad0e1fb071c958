"""The MSD_musicnn TensorFlow network, rebuilt from the installed `musicnn`.

Used to export the frozen inference graph and as the reference the ONNX model
is checked against.
"""

from __future__ import annotations

import os

import numpy as np

from bundle import (INPUT_NAME, MODEL_NAME, N_FRAMES, N_MELS, OUT_ACTIVATIONS, OUT_EMBEDDING,
                    musicnn_labels)


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
