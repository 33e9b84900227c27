"""Build the Lambda artifact the way `sam build` does, without SAM or Docker.

`sam build` installs backend/requirements.txt into a directory with pip, for the function's
runtime and architecture, and copies the code from CodeUri (backend/) beside it. This module
does the same so that tests can import the result in a fresh interpreter and measure it:

    python infra/build_artifact.py            # build .build/artifact/ and report its size
    python infra/build_artifact.py --zip      # … and zip it, as `sam deploy` uploads it

The dependency install is cached under .build/ keyed by the requirements file and the target
(runtime + architecture, both read from template.yaml), so repeated runs only copy files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
BACKEND_DIR = REPO_ROOT / "backend"
BUILD_ROOT = REPO_ROOT / ".build"
TEMPLATE_PATH = REPO_ROOT / "infra" / "template.yaml"
FUNCTION_ID = "InvoiceFunction"

# Lambda's hard limit for a function's unzipped deployment package (code + layers).
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024

log = logging.getLogger("build_artifact")

# What sam build leaves out of a copied CodeUri, plus our own caches.
_CODE_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", "*.egg-info")
_EXTENSION_TAG = re.compile(r"\.cpython-(\d)(\d+)[^.]*\.so$")


@dataclass(frozen=True)
class Target:
    """The Lambda platform to install wheels for."""

    python_version: str  # "3.12"
    platforms: tuple[str, ...]  # pip --platform tags, most general first

    def key(self, requirements: bytes) -> str:
        digest = hashlib.sha256(requirements)
        digest.update(json.dumps(asdict(self), sort_keys=True).encode())
        return digest.hexdigest()[:16]


def target_from_template(template: dict[str, Any], function_id: str = FUNCTION_ID) -> Target:
    """Runtime and architecture of the function as the template declares them."""
    props = template["Resources"][function_id]["Properties"]
    runtime = props.get("Runtime") or template.get("Globals", {}).get("Function", {}).get("Runtime")
    match = re.fullmatch(r"python(\d+\.\d+)", str(runtime))
    if not match:
        raise ValueError(f"{function_id} has no pythonX.Y runtime (found {runtime!r})")
    arch = (props.get("Architectures") or ["x86_64"])[0]
    machine = {"x86_64": "x86_64", "arm64": "aarch64"}[arch]
    # manylinux2014 (glibc 2.17) is what every Lambda Python runtime accepts; the current ones run
    # on Amazon Linux 2023 (glibc 2.34), so wheels tagged up to manylinux_2_28 load there too.
    return Target(match.group(1), (f"manylinux2014_{machine}", f"manylinux_2_28_{machine}"))


def load_target() -> Target:
    from devstack.template import load_template  # the CFN-tag-aware loader of the local stack

    return target_from_template(load_template(TEMPLATE_PATH))


def install_dependencies(
    requirements: Path, target: Target, cache_root: Path = BUILD_ROOT, *, python: str = sys.executable
) -> Path:
    """pip-install `requirements` for `target` into a cached directory and return it.

    Wheels only (`--only-binary=:all:`): the local compiler would build for this machine, not
    for Lambda. No .pyc files: they would be compiled for the local interpreter's version.
    """
    key = target.key(requirements.read_bytes())
    final = cache_root / f"deps-{key}"
    if final.is_dir():
        log.info("dependencies cached in %s", final)
        return final
    cache_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"deps-{key}-", dir=cache_root))
    cmd = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile"]
    cmd += ["--target", str(staging), "--only-binary=:all:", "--implementation", "cp"]
    cmd += ["--python-version", target.python_version]
    for platform in target.platforms:
        cmd += ["--platform", platform]
    cmd += ["-r", str(requirements)]
    log.info("installing %s for Python %s %s", requirements.name, target.python_version, target.platforms)
    try:
        subprocess.run(cmd, check=True)
        os.replace(staging, final)  # atomic: a cache directory is complete or absent
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    _prune(cache_root, keep=final)
    return final


def _prune(cache_root: Path, keep: Path) -> None:
    """Drop dependency sets of older requirements (each is tens of MB)."""
    for old in cache_root.glob("deps-*"):
        if old.is_dir() and old != keep and not old.name.startswith(keep.name + "-"):
            shutil.rmtree(old, ignore_errors=True)


def assemble(deps_dir: Path, dest: Path, code_dir: Path = BACKEND_DIR) -> Path:
    """The artifact: the installed dependencies plus a copy of the code, like .aws-sam/build/<fn>."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(deps_dir, dest)
    shutil.copytree(code_dir, dest, ignore=_CODE_IGNORE, dirs_exist_ok=True)
    return dest


def build(dest: Path, *, target: Target | None = None, cache_root: Path = BUILD_ROOT) -> Path:
    target = target or load_target()
    deps = install_dependencies(BACKEND_DIR / "requirements.txt", target, cache_root)
    return assemble(deps, dest)


def tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def zip_tree(root: Path, zip_path: Path) -> int:
    """Zip `root` (deflated, as SAM packages it) and return the zip's size in bytes."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(root).as_posix())
    return zip_path.stat().st_size


def foreign_extensions(root: Path, target: Target) -> list[str]:
    """Compiled modules built for another CPython than the target's (a local-platform leak)."""
    want = target.python_version.replace(".", "")
    bad = []
    for path in root.rglob("*.so"):
        match = _EXTENSION_TAG.search(path.name)
        if match and match.group(1) + match.group(2) != want:
            bad.append(path.relative_to(root).as_posix())
    return sorted(bad)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=BUILD_ROOT / "artifact", help="artifact directory")
    parser.add_argument("--zip", action="store_true", help="also write <dest>.zip and report its size")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    target = load_target()
    artifact = build(args.dest, target=target)
    report: dict[str, Any] = {
        "artifact": str(artifact),
        "python": target.python_version,
        "platforms": list(target.platforms),
        "unzippedBytes": tree_size(artifact),
        "limitBytes": LAMBDA_UNZIPPED_LIMIT,
    }
    if args.zip:
        report["zippedBytes"] = zip_tree(artifact, args.dest.with_suffix(".zip"))
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return 0 if report["unzippedBytes"] < LAMBDA_UNZIPPED_LIMIT else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # for devstack when run as a script
    raise SystemExit(main())
