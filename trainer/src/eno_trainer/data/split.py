"""Train/validation split by album: no album is on both sides. Groups are assigned greedily so each
tag's positives are spread over both sides in about the configured share."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict

from .examples import Example


def split_by_album(examples: list[Example], val_fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """Indices of the training and validation examples."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, example in enumerate(examples):
        groups[example.group].append(i)
    names = sorted(groups)
    random.Random(seed).shuffle(names)
    positives: Counter[str] = Counter(t for e in examples for t in e.tags)
    tags_of = {g: Counter(t for i in groups[g] for t in examples[i].tags) for g in names}

    def rarest(group: str) -> int:
        return min((positives[t] for t in tags_of[group]), default=math.inf)  # type: ignore[arg-type]

    names.sort(key=rarest)  # stable: the shuffle decides among equals
    want_tracks = val_fraction * len(examples)
    val_tags: Counter[str] = Counter()
    train_tags: Counter[str] = Counter()
    val: list[int] = []
    train: list[int] = []
    for group in names:
        tags = tags_of[group]
        if tags:
            # Validation takes the group while its rarest tag has less than its share there and the
            # training side keeps at least one positive of every tag it holds.
            rare = min(tags, key=lambda t: positives[t])
            share = math.ceil(val_fraction * positives[rare])
            to_val = val_tags[rare] < share and (train_tags[rare] > 0 or positives[rare] - tags[rare] > 0)
        else:
            to_val = len(val) < want_tracks
        (val if to_val else train).extend(groups[group])
        (val_tags if to_val else train_tags).update(tags)
    return sorted(train), sorted(val)
