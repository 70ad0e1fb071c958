"""Which tags the head learns: tags of the records that the backbone does not already predict, with
enough positives and negatives on both sides of the split. The rest are reported with the reason."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .examples import Example

CATEGORIES = ("genre", "descriptor", "era", "vocal", "instrument", "other")


@dataclass(frozen=True)
class TagCount:
    """Positives and negatives of one tag on each side of the split."""

    tag: str
    train_pos: int
    train_neg: int
    val_pos: int
    val_neg: int


@dataclass(frozen=True)
class Vocabulary:
    """The trained tags (in output order) with their categories, and the tags left out with reasons."""

    tags: list[str]
    categories: dict[str, str]
    counts: dict[str, TagCount]
    skipped: dict[str, str]
    backbone_tags_seen: list[str]


def count_tag(tag: str, examples: list[Example], train: list[int], val: list[int]) -> TagCount:
    """Counts one tag's positives and negatives per side."""
    tp = sum(tag in examples[i].tags for i in train)
    vp = sum(tag in examples[i].tags for i in val)
    return TagCount(tag, tp, len(train) - tp, vp, len(val) - vp)


def _category(tag: str, examples: list[Example], configured: dict[str, str], backbone: dict[str, str]) -> str:
    if tag in configured:
        return configured[tag]
    said = [e.tag_categories[tag] for e in examples if tag in e.tag_categories]
    if said:
        return max(set(said), key=said.count)
    return backbone.get(tag, "other")


def choose_vocabulary(
    examples: list[Example],
    train: list[int],
    val: list[int],
    *,
    backbone_categories: dict[str, str],
    min_positives: int,
    min_negatives: int,
    exclude: list[str],
    configured_categories: dict[str, str],
) -> Vocabulary:
    """Picks the tags to train; reports every other tag of the records and why it is not trained."""
    all_tags = sorted({t for e in examples for t in e.tags})
    trained: list[str] = []
    skipped: dict[str, str] = {}
    counts: dict[str, TagCount] = {}
    seen_backbone: list[str] = []
    for tag in all_tags:
        c = count_tag(tag, examples, train, val)
        counts[tag] = c
        if tag in exclude:
            skipped[tag] = "excluded by the configuration"
        elif tag in backbone_categories:
            seen_backbone.append(tag)
            skipped[tag] = "predicted by the backbone (kept as it is)"
        elif c.train_neg + c.val_neg == 0:
            skipped[tag] = f"present on every track ({c.train_pos + c.val_pos}): nothing to tell apart"
        elif c.train_pos < min_positives or c.val_pos < 1:
            skipped[tag] = f"too few positives ({c.train_pos} for training, {c.val_pos} for validation; need {min_positives} and 1)"
        elif c.train_neg < min_negatives or c.val_neg < 1:
            skipped[tag] = f"too few negatives ({c.train_neg} for training, {c.val_neg} for validation; need {min_negatives} and 1)"
        else:
            trained.append(tag)
    categories = {}
    for tag in trained:
        category = _category(tag, examples, configured_categories, backbone_categories)
        categories[tag] = category if category in CATEGORIES else "other"
    return Vocabulary(trained, categories, counts, skipped, seen_backbone)


def label_matrix(examples: list[Example], indices: list[int], tags: list[str]) -> np.ndarray:
    """0/1 targets, one row per example, one column per tag."""
    out = np.zeros((len(indices), len(tags)), dtype=np.float32)
    for r, i in enumerate(indices):
        for c, tag in enumerate(tags):
            out[r, c] = tag in examples[i].tags
    return out


def embedding_matrix(examples: list[Example], indices: list[int]) -> np.ndarray:
    """The examples' embeddings stacked as float32."""
    return np.stack([examples[i].embedding for i in indices]).astype(np.float32)
