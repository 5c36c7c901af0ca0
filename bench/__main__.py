"""Run benchmarks, each in its own process: `python -m bench [NAME…] [--list]`.

Without names: every module except those in ONLY_BY_NAME (long runs with a make target of
their own: search_eval is `make eval-search`, about 50 minutes).
"""

import pkgutil
import subprocess
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ONLY_BY_NAME = {"search_eval"}


def available() -> list[str]:
    return sorted(module.name for module in pkgutil.iter_modules([str(PACKAGE_DIR)]) if not module.name.startswith("_"))


def main(argv: list[str]) -> int:
    names = available()
    if "--list" in argv:
        print("\n".join(f"{name} (only by name)" if name in ONLY_BY_NAME else name for name in names))
        return 0
    chosen = [arg for arg in argv if not arg.startswith("-")] or [name for name in names if name not in ONLY_BY_NAME]
    unknown = sorted(set(chosen) - set(names))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(names)}", file=sys.stderr)
        return 2
    failed = []
    for name in chosen:
        print(f"== bench.{name}", flush=True)
        completed = subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=PACKAGE_DIR.parent)
        if completed.returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
