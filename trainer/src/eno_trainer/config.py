"""Run configuration: configs/base.yaml, then a variant (small, full or a file), then key=value overrides."""

from __future__ import annotations

from pathlib import Path

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from .errors import EXIT_USAGE, TrainerError

TRAINER_DIR = Path(__file__).resolve().parents[2]
CONFIG_DIR = TRAINER_DIR / "configs"
REPO_ROOT = TRAINER_DIR.parent


def variant_path(variant: str) -> Path:
    """The YAML file of a variant name (small, full) or a path to one."""
    named = CONFIG_DIR / f"{variant}.yaml"
    if named.is_file():
        return named
    path = Path(variant)
    if path.is_file():
        return path
    known = ", ".join(sorted(p.stem for p in CONFIG_DIR.glob("*.yaml") if p.stem != "base"))
    raise TrainerError(f"config '{variant}': no such variant ({known}) or file", EXIT_USAGE)


def load_config(variant: str = "small", overrides: list[str] | None = None) -> DictConfig:
    """Merges base.yaml, the variant and dotted overrides (e.g. training.max_epochs=5)."""
    try:
        base = OmegaConf.load(CONFIG_DIR / "base.yaml")
        chosen = OmegaConf.load(variant_path(variant))
        cli = OmegaConf.from_dotlist(list(overrides or []))
        config = OmegaConf.merge(base, chosen, cli)
    except OmegaConfBaseException as error:
        raise TrainerError(f"config: {error}", EXIT_USAGE) from error
    assert isinstance(config, DictConfig)
    objective = config.thresholds.objective
    if objective not in ("f1", "precision_at_recall"):
        raise TrainerError(f"config: thresholds.objective must be f1 or precision_at_recall, got '{objective}'", EXIT_USAGE)
    return config


def repo_path(path: str) -> Path:
    """A path from the config: absolute as given, else relative to the repository root."""
    p = Path(path)
    return p if p.is_absolute() else REPO_ROOT / p
