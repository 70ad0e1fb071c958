"""`prepare`: a base dataset from a folder of audio and a metadata CSV (one row per album).

  prepare --audio DIR --metadata albums.csv --out DIR [--register] [--project eno --name rym-features]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_USAGE
from ..prepare.build import build_dataset, run_engine
from .common import run_main


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="prepare", description="Builds a base dataset (label records + embeddings) and registers it in ClearML.")
    parser.add_argument("--audio", type=Path, required=True, help="folder of audio files (scanned recursively)")
    parser.add_argument("--metadata", type=Path, required=True, help="CSV with artist, album, genres, descriptors (one row per album)")
    parser.add_argument("--out", type=Path, required=True, help="where the dataset folder and the engine's library go")
    parser.add_argument("--register", action="store_true", help="register the folder as a new ClearML dataset version")
    parser.add_argument("--project", default="eno")
    parser.add_argument("--name", default="rym-features")
    parser.add_argument("--backbone-id", default="musicnn-msd", help="the model whose embeddings are kept")
    parser.add_argument("--eno-command", default="npm run --silent eno --", help='how to run the CLI (e.g. "node bin/eno.mjs" for the built one)')
    parser.add_argument("--ep", default="auto", choices=["auto", "cpu", "cuda"])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Runs `prepare`; returns the exit status."""
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:
        return EXIT_USAGE if stop.code else 0

    def body() -> int:
        if not args.audio.is_dir():
            print(f"prepare: error: {args.audio}: not a folder of audio", file=sys.stderr)
            return EXIT_USAGE
        if args.register:
            from ..tracking.clearml_tracker import check_reachable

            check_reachable()
        library = args.out / "library"
        dataset_dir = args.out / "dataset"
        run_engine(args.audio.resolve(), library.resolve(), args.eno_command, args.ep)
        report = build_dataset(library, args.metadata, dataset_dir, args.backbone_id)
        print(f"prepare: {report.tracks} track(s) tagged, {report.matched} matched to an album of {args.metadata.name}")
        for track in report.unmatched:
            print(f"prepare: unmatched: {track.path} (artist {track.artist!r}, album {track.album!r})")
        for album in report.albums_without_tracks:
            print(f"prepare: no track for {album.artist} - {album.album} ({args.metadata.name}:{album.line})")
        for problem in report.problems:
            print(f"prepare: {problem}")
        print(f"prepare: dataset written to {dataset_dir}")
        if args.register:
            from ..tracking.clearml_tracker import register_dataset

            dataset_id, version = register_dataset(dataset_dir, args.project, args.name)
            print(f"prepare: registered {args.project}/{args.name} {version} ({dataset_id})")
        return 0

    return run_main("prepare", body)


if __name__ == "__main__":
    sys.exit(main())
