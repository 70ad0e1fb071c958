"""Thin entry script: `python trainer/prepare.py --audio DIR --metadata albums.csv`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from eno_trainer.cli.prepare import main

if __name__ == "__main__":
    sys.exit(main())
