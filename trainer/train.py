"""Thin entry script (also what an agent runs): `python trainer/train.py --config full`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from eno_trainer.cli.train import main

if __name__ == "__main__":
    sys.exit(main())
