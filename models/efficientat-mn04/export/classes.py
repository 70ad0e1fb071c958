"""The music-related AudioSet classes the bundle shows as tags, each with its category.

AudioSet's ontology puts them under "Music" (instruments, genres, roles, moods) and under "Human
voice" (singing, choir, rapping...). Left out: "Music" and "Musical instrument" themselves (they say
nothing about a track; "Music" answers music-or-not instead, with "Speech"), and bells that are not
instruments ("Bicycle bell"). Indices are the columns of the model's 527 outputs.
"""

from __future__ import annotations

VOCAL = [27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 218, 254, 255]
# 139..215: instruments and playing techniques, less the generic and non-musical ones.
INSTRUMENT = [i for i in range(139, 216) if i not in (203,)]
MOOD = [276, 277, 278, 279, 280, 281, 282]
# Genres (216..265) and the music roles that read as genres.
GENRE = [i for i in range(216, 266) if i not in (218, 254, 255)] + [270, 271, 272, 273, 274]
# Roles that describe a use rather than a style.
OTHER = [266, 267, 268, 269, 275]

MUSIC_INDEX = 137
SPEECH_INDEX = 0


def music_classes(labels: list[str]) -> list[dict]:
    """[{name, index, category}] in output order."""
    category = {}
    for group, name in ((VOCAL, "vocal"), (INSTRUMENT, "instrument"), (MOOD, "descriptor"), (GENRE, "genre"),
                        (OTHER, "other")):
        for i in group:
            if i in category:
                raise SystemExit(f"class {i} ({labels[i]}) is in two categories")
            category[i] = name
    if labels[MUSIC_INDEX] != "Music" or labels[SPEECH_INDEX] != "Speech":
        raise SystemExit("the label list is not AudioSet's 527 classes in the expected order")
    return [{"name": labels[i], "index": i, "category": category[i]} for i in sorted(category)]
