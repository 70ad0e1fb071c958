"""The ClearML edge: the training task, dataset versions, scalars and tables, the previous model and
publishing. Everything else in the trainer works without ClearML."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from ..errors import DataError, ServerError, TrainerError
from .tracker import PreviousModel, Published


def server_address() -> str:
    """The API server the SDK is configured for (clearml.conf or CLEARML_API_HOST)."""
    from clearml.backend_api import Session

    return Session.get_api_server_host().rstrip("/")


def check_reachable(timeout_sec: float = 5.0) -> str:
    """Fails fast with a clear message when the API server does not answer (the SDK would retry for
    minutes); returns its address."""
    host = server_address()
    try:
        with urllib.request.urlopen(f"{host}/debug.ping", timeout=timeout_sec) as response:
            response.read()
    except urllib.error.HTTPError:
        pass  # it answered: a server is there
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ServerError(f"cannot reach the ClearML server at {host}: {reason} (check CLEARML_API_HOST or ~/clearml.conf)") from error
    return host


# Nothing is hooked into other frameworks, and the SDK's own repository detection is off: it runs in
# a background thread that also scans the code for imports, and on a busy machine it took minutes
# (Task.close() and execute_remotely wait up to 5 minutes for it, and an enqueued task could leave
# without its entry point). The trainer says where it is itself (script_location below).
_NO_AUTO_CONNECT = {
    "matplotlib": False, "tensorflow": False, "tensorboard": False, "pytorch": False, "xgboost": False,
    "scikit": False, "fastai": False, "lightgbm": False, "hydra": False, "detect_repository": False,
    "tfdefines": False, "joblib": False, "megengine": False, "catboost": False, "gradio": False,
}  # fmt: skip


def _git(repo: Path, *args: str) -> str:
    """One line of git's output in the repository, or "" when git or the repository is not there."""
    try:
        run = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return run.stdout.strip() if run.returncode == 0 else ""


def script_location(repo_root: Path, entry_point: str) -> dict[str, str]:
    """What an agent needs to run the trainer from the repository: its remote, branch, commit and
    uncommitted changes (as the SDK's detection records them), the working folder and entry point."""
    return {
        "repository": _git(repo_root, "config", "--get", "remote.origin.url"),
        "branch": _git(repo_root, "rev-parse", "--abbrev-ref", "HEAD"),
        "commit": _git(repo_root, "rev-parse", "HEAD"),
        "diff": _git(repo_root, "diff", "HEAD"),
        "working_dir": ".",
        "entry_point": entry_point,
    }


class ClearmlTracker:
    """A ClearML task for the run. Create it with `start`; `task` is the SDK's Task."""

    can_publish = True

    def __init__(self, task: object) -> None:
        self.task = task
        self.logger = task.get_logger()  # type: ignore[attr-defined]

    @staticmethod
    def start(project: str, task_name: str, requirements: Path) -> ClearmlTracker:
        """Creates (or, under an agent, resumes) the training task."""
        from clearml import Task

        try:
            task = Task.init(
                project_name=project,
                task_name=task_name,
                task_type=Task.TaskTypes.training,
                output_uri=True,
                reuse_last_task_id=False,
                auto_connect_frameworks=_NO_AUTO_CONNECT,
                auto_connect_arg_parser=False,
                auto_resource_monitoring=False,
            )
        except Exception as error:  # the SDK raises many kinds; all mean the task could not start
            raise ServerError(f"cannot start the ClearML task: {error}") from error
        if task.running_locally():
            repo_root = requirements.resolve().parents[1]
            task.set_script(**script_location(repo_root, "trainer/train.py"))
            # The agent installs exactly the trainer's pinned requirements.
            task.set_packages(str(requirements))
        return ClearmlTracker(task)

    def connect_config(self, yaml_file: Path) -> Path:
        """Records the run's config (a YAML file) on the task; returns the file to read it back from,
        which under an agent holds the config stored on the task (edited in the web UI or not)."""
        return Path(self.task.connect_configuration(yaml_file, name="trainer config"))  # type: ignore[attr-defined]

    def enqueue(self, queue: str) -> None:
        """Hands the task to an agent listening on `queue` and ends this process (exit status 0)."""
        self.task.execute_remotely(queue_name=queue, clone=False, exit_process=True)  # type: ignore[attr-defined]

    def fetch_dataset(self, project: str, name: str, version: str | None) -> tuple[Path, str]:
        from clearml import Dataset

        try:
            dataset = Dataset.get(
                dataset_project=project, dataset_name=name, dataset_version=version, only_completed=True, alias=name
            )
        except ValueError as error:
            wanted = f"{project}/{name}" + (f" version {version}" if version else "")
            raise DataError(f"{wanted}: no finalized dataset version on the ClearML server ({error})") from error
        try:
            local = dataset.get_local_copy()
        except Exception as error:
            raise DataError(f"{project}/{name} {dataset.version}: cannot download it ({error})") from error
        return Path(local), f"{project}/{name} {dataset.version} ({dataset.id})"

    def log_scalar(self, title: str, series: str, value: float, iteration: int) -> None:
        self.logger.report_scalar(title=title, series=series, value=float(value), iteration=iteration)

    def log_table(self, title: str, series: str, rows: list[list[object]]) -> None:
        self.logger.report_table(title=title, series=series, iteration=0, table_plot=rows)

    def log_text(self, text: str) -> None:
        self.logger.report_text(text, print_console=False)

    def previous_model(self, tag: str) -> PreviousModel | None:
        from clearml import Model

        models = [m for m in Model.query_models(tags=[tag], only_published=True) if (m.framework or "").upper() == "ONNX"]
        if not models:
            return None
        newest = models[0]  # the SDK lists the most recently updated first
        try:
            manifest = json.loads(newest.config_text or "{}")
            path = newest.get_local_copy(raise_on_error=True)
        except Exception as error:  # a broken registry entry is reported, not fatal
            self.log_text(f"previous model {newest.id} could not be loaded: {error}")
            return None
        return PreviousModel(newest.id, newest.name, manifest, Path(path))

    def publish(self, bundle_dir: Path, manifest: dict, comment: str, metadata: dict[str, str]) -> Published:
        from clearml import OutputModel

        # A task stopped meanwhile (aborted in the web UI, or by the server's watchdog) publishes nothing.
        status = str(self.task.get_status())  # type: ignore[attr-defined]
        if status != "in_progress":
            raise TrainerError(f"the task is '{status}' on the server (stopped from outside?); nothing was published")
        try:
            model = OutputModel(
                task=self.task,
                name=f"{manifest['id']} {manifest['version']}",
                framework="ONNX",
                tags=["eno"],
                comment=comment,
                config_text=json.dumps(manifest, indent=1),
                label_enumeration={t["name"]: i for i, t in enumerate(manifest["tags"])},
            )
            # Synchronous upload: publishing must not run ahead of the weights.
            model.update_weights(weights_filename=str(bundle_dir / "model.onnx"), auto_delete_file=False, async_enable=False)
            for key, value in metadata.items():
                model.set_metadata(key, value, "str")
            model.publish()
        except Exception as error:
            raise TrainerError(f"publishing the model failed: {error}") from error
        return Published(model.id, model.url or "")

    def finish(self, ok: bool, message: str) -> None:
        if ok:
            self.task.close()  # type: ignore[attr-defined]
            return
        self.logger.report_text(f"failed: {message}", level=40)
        self.task.flush(wait_for_uploads=True)  # type: ignore[attr-defined]
        self.task.mark_failed(status_reason=message[:250], status_message="failed", force=True)  # type: ignore[attr-defined]


def register_dataset(folder: Path, project: str, name: str) -> tuple[str, str]:
    """Uploads a dataset folder as the next version of `project/name` (a whole snapshot, no parent)
    and finalizes it; returns its id and version."""
    from clearml import Dataset

    try:
        dataset = Dataset.create(dataset_project=project, dataset_name=name)
        dataset.add_files(path=str(folder))
        dataset.upload()
        dataset.finalize()
    except Exception as error:
        raise ServerError(f"registering {project}/{name} failed: {error}") from error
    return dataset.id, str(dataset.version)
