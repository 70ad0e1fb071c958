"""The metadata CSV: one row per album (artist, album, genres, descriptors), and matching tracks to it."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError

REQUIRED = ("artist", "album", "genres", "descriptors")


@dataclass(frozen=True)
class Album:
    """One row: the album's genres and descriptors."""

    artist: str
    album: str
    genres: tuple[str, ...]
    descriptors: tuple[str, ...]
    line: int


def normalize(text: str | None) -> str:
    """Case, accents, punctuation and a leading "the" do not matter when matching names."""
    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"[^\w]+", " ", plain).strip()
    return re.sub(r"^the ", "", plain)


def album_key(artist: str | None, album: str | None) -> str:
    """The matching key of an artist and album."""
    return f"{normalize(artist)}\x1f{normalize(album)}"


def split_list(text: str) -> tuple[str, ...]:
    """"Shoegaze; Dream Pop" or "shoegaze, dream pop" -> the tags, trimmed, in order, once each."""
    parts = text.split(";") if ";" in text else text.split(",")
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


def read_metadata(path: Path, problems: list[str]) -> dict[str, Album]:
    """Albums by matching key; a row without artist or album is reported (file:line) and skipped."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise DataError(f"{path}: cannot be read ({error.strerror or error})") from error
    with handle:
        reader = csv.DictReader(handle)
        columns = {c.strip().lower(): c for c in reader.fieldnames or []}
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise DataError(f"{path}: missing column(s) {', '.join(missing)} (need {', '.join(REQUIRED)})")
        albums: dict[str, Album] = {}
        for row in reader:
            line = reader.line_num
            artist, album = (row.get(columns["artist"]) or "").strip(), (row.get(columns["album"]) or "").strip()
            if not artist or not album:
                problems.append(f"{path.name}:{line}: no artist or album")
                continue
            key = album_key(artist, album)
            if key in albums:
                problems.append(f"{path.name}:{line}: {artist} - {album} is listed again (line {albums[key].line} kept)")
                continue
            genres = split_list(row.get(columns["genres"]) or "")
            descriptors = split_list(row.get(columns["descriptors"]) or "")
            albums[key] = Album(artist, album, genres, descriptors, line)
    return albums
