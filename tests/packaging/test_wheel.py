"""A built wheel works as well as the checkout: prompts, sample notices and the app travel inside it.

The wheel is built from this checkout, installed (not editable) into a fresh virtual environment whose
dependencies come from the test environment, and used from a directory with no checkout in sight.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv holding the wheel."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        cwd=base,
        capture_output=True,
        text=True,
    )
    (wheel,) = dist.glob("rectification_audit-*.whl")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
        env={
            k: v for k, v in os.environ.items() if k != "PYTHONPATH"
        },  # a checkout on the path hides the wheel
    )
    # the dependencies: the test environment's packages, after the wheel's own
    target = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (target / "_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    return env_dir / "bin"


def _run(bin_dir: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUDIT_", "OPENAI_", "PYTHON"))}
    env.update(
        AUDIT_STORE_DIR=str(cwd / "store"),
        AUDIT_CACHE_DIR=str(cwd / "cache"),
        AUDIT_CONFIG=str(cwd / "none.toml"),
    )
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_package_comes_from_the_wheel_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    out = _run(
        installed, [str(installed / "python"), "-c", "import assistant; print(assistant.__file__)"], tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert str(ROOT) not in out.stdout and "site-packages" in out.stdout


def test_every_prompt_loads_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    names = sorted({p.name.split(".v")[0] for p in (ROOT / "prompts").glob("*.v*.md")})
    code = (
        "from assistant.prompts import load_prompt\n"
        f"for name in {names!r}:\n    assert load_prompt(name).text.strip(), name\nprint('ok')"
    )
    out = _run(installed, [str(installed / "python"), "-c", code], tmp_path)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_demo_runs_on_the_bundled_samples(installed: Path, tmp_path: Path) -> None:
    out = _run(installed, [str(installed / "audit"), "demo", "--out-dir", str(tmp_path / "out")], tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8").count("\n") == 86


def test_the_app_starts_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    code = (
        "from streamlit.testing.v1 import AppTest\n"
        "from assistant.paths import app_script\n"
        "script = app_script()\n"
        "assert 'site-packages' in str(script), script\n"
        "at = AppTest.from_file(str(script), default_timeout=120).run()\n"
        "assert not at.exception, at.exception\n"
        "print({m.label: m.value for m in at.sidebar.metric})\n"
    )
    out = _run(installed, [str(installed / "python"), "-c", code], tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "'通报': '5'" in out.stdout
