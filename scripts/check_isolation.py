#!/usr/bin/env python3
"""Install each Rota Round package alone, from its built wheel, and prove it stands alone.

For every package under packages/:

1. ``uv build --package <dist>`` builds its wheel and sdist;
2. a fresh virtualenv (``uv venv``, Python 3.11) gets that wheel, its declared dependencies
   from PyPI and the sibling packages it declares **only from the wheels just built** (URL
   constraints: a sibling it forgot to declare is simply not installed, and nothing comes
   from the workspace or from a same-named project on PyPI); then every distribution its
   code imports must be declared in its wheel, and every declared one imported (``testing/``
   may import its ``testing`` extra; tzdata is data for zoneinfo);
3. a throwaway project made by ``django-admin startproject`` and configured as the package's
   README says runs ``check``, ``migrate`` and ``makemigrations --check --dry-run``, and the
   app reports the wheel's version (``__version__``, read with importlib.metadata);
4. the sdist's CHANGELOG.md starts with "## Unreleased", and the package's own test suite,
   taken from its sdist, runs against the installed wheel (its ``tests/settings.py``: SQLite,
   no PostgreSQL, no Redis).

Run from anywhere: ``python3 scripts/check_isolation.py [--keep] [--jobs N] [dist ...]``.
Only the standard library is used here; everything else runs inside the throwaway venvs.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "3.11"
TEST_REQUIREMENTS = ["pytest>=8.3", "pytest-django>=4.9", "hypothesis>=6.100", "httpx>=0.27"]


@dataclass
class Package:
    """A package and what its README tells another site to configure."""

    dist: str
    module: str
    apps: list[str]
    urls: list[tuple[str, str]]
    extras: str = ""
    middleware: list[str] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    @property
    def wheel_name(self) -> str:
        return self.dist.replace("-", "_")


PACKAGES = [
    Package(
        dist="rota-settings",
        module="rota_settings",
        apps=["rest_framework", "rota_settings"],
        urls=[("api/v1/", "rota_settings.urls")],
        middleware=["rota_settings.middleware.SystemTimezoneMiddleware"],
        settings={"ROTA_SETTINGS_CACHE_TIMEOUT": 60},
    ),
    Package(
        dist="rota-core",
        module="rota_core",
        extras="testing",
        apps=["rest_framework", "django_filters", "drf_spectacular", "rota_core"],
        urls=[("api/v1/", "rota_core.urls")],
    ),
    Package(
        dist="rota-scheduling",
        module="rota_scheduling",
        extras="testing",
        apps=[
            "rest_framework",
            "django_filters",
            "drf_spectacular",
            "django_celery_beat",
            "rota_core",
            "rota_settings",
            "rota_scheduling",
        ],
        urls=[
            ("api/v1/", "rota_core.urls"),
            ("api/v1/", "rota_settings.urls"),
            ("api/v1/", "rota_scheduling.urls"),
            ("calendar/", "rota_scheduling.feed_urls"),
        ],
        middleware=["rota_settings.middleware.SystemTimezoneMiddleware"],
        settings={
            "ROTA_SETTINGS_CACHE_TIMEOUT": 60,
            "CELERY_BEAT_SCHEDULER": "django_celery_beat.schedulers:DatabaseScheduler",
        },
    ),
    Package(
        dist="rota-notifications",
        module="rota_notifications",
        extras="testing",
        apps=[
            "rest_framework",
            "django_filters",
            "drf_spectacular",
            "django_celery_beat",
            "rota_core",
            "rota_settings",
            "rota_scheduling",
            "rota_notifications",
        ],
        urls=[
            ("api/v1/", "rota_core.urls"),
            ("api/v1/", "rota_settings.urls"),
            ("api/v1/", "rota_scheduling.urls"),
            ("api/v1/", "rota_notifications.urls"),
            ("calendar/", "rota_scheduling.feed_urls"),
        ],
        middleware=["rota_settings.middleware.SystemTimezoneMiddleware"],
        settings={
            "ROTA_SETTINGS_CACHE_TIMEOUT": 60,
            "CELERY_BEAT_SCHEDULER": "django_celery_beat.schedulers:DatabaseScheduler",
            "DEFAULT_FROM_EMAIL": "rota@example.com",
        },
    ),
]

# Variables that would let the workspace or a real service leak into an isolated run.
SCRUBBED_ENV = (
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "PYTHONHOME",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "UV_PROJECT_ENVIRONMENT",
    "CONDA_PREFIX",
)


class StepFailed(Exception):
    pass


# Run inside the package's venv: the distributions its code imports against the ones its
# wheel declares (Requires-Dist), so that neither an import nor a declaration goes missing.
IMPORT_AUDIT = """
import ast, json, re, sys
from importlib import metadata
from pathlib import Path

dist_name, module = sys.argv[1], sys.argv[2]
package_dir = Path(__import__(module).__file__).parent
owners = metadata.packages_distributions()

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

def owner_of(top):
    try:  # an editable install has no top-level mapping: try the same-named distribution
        return metadata.distribution(top.replace("_", "-")).metadata["Name"]
    except metadata.PackageNotFoundError:
        return f"<unknown {top}>"

def imported(files):
    found = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == module:
                    continue
                found.update(norm(d) for d in owners.get(top) or [owner_of(top)])
    return found

files = sorted(package_dir.rglob("*.py"))
testing = [f for f in files if "testing" in f.relative_to(package_dir).parts]
base = imported([f for f in files if f not in testing])
extra = imported(testing) - base
declared, declared_testing = set(), set()
for requirement in metadata.requires(dist_name) or []:
    name = norm(re.match(r"[A-Za-z0-9_.-]+", requirement).group(0))
    (declared_testing if "extra ==" in requirement else declared).add(name)
print(json.dumps({
    "undeclared": sorted(base - declared),
    "undeclared_testing": sorted(extra - declared - declared_testing),
    "unused": sorted(declared - base),
}))
"""
# Declared without an import statement, on purpose.
DECLARED_WITHOUT_IMPORT = {
    "tzdata": "zoneinfo reads it where the system has no time zone database",
}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    env.update(extra)
    return env


def run(argv: list[str], *, cwd: Path, log: Path, env: dict[str, str] | None = None) -> str:
    """Run argv, appending its output to log; raise StepFailed with the tail on failure."""
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own fixed commands
        argv, cwd=cwd, env=env or clean_env(), capture_output=True, text=True, check=False
    )
    output = result.stdout + result.stderr
    with log.open("a") as handle:
        handle.write(f"\n$ {' '.join(argv)}  (in {cwd}, {time.monotonic() - started:.1f}s)\n")
        handle.write(output)
    if result.returncode:
        tail = "\n".join(output.rstrip().splitlines()[-40:])
        raise StepFailed(f"`{' '.join(argv)}` exited with {result.returncode}:\n{tail}")
    return output


def build(packages: list[Package], dist_dir: Path, log: Path) -> None:
    for package in packages:
        run(
            ["uv", "build", "--package", package.dist, "--out-dir", str(dist_dir), "--quiet"],
            cwd=ROOT,
            log=log,
            env=clean_env(),
        )
        for suffix in ("-py3-none-any.whl", ".tar.gz"):
            if not list(dist_dir.glob(f"{package.wheel_name}-*{suffix}")):
                raise StepFailed(f"uv build made no {suffix} for {package.dist}")


def only(dist_dir: Path, pattern: str) -> Path:
    found = sorted(dist_dir.glob(pattern))
    if len(found) != 1:
        raise StepFailed(f"expected one {pattern} in {dist_dir}, found {found}")
    return found[0]


def project_settings(package: Package) -> str:
    apps = ",\n".join(f"    {app!r}" for app in package.apps)
    lines = [
        "",
        f"# --- added for the isolated install of {package.dist}, as its README says ---",
        f"INSTALLED_APPS += [\n{apps},\n]",
        f"MIDDLEWARE += {package.middleware!r}",
        "USE_TZ = True",
    ]
    lines += [f"{name} = {value!r}" for name, value in package.settings.items()]
    return "\n".join(lines) + "\n"


def project_urls(package: Package) -> str:
    routes = "\n".join(f"    path({prefix!r}, include({urls!r}))," for prefix, urls in package.urls)
    return textwrap.dedent(
        """\
        from django.contrib import admin
        from django.urls import include, path

        urlpatterns = [
            path("admin/", admin.site.urls),
        {routes}
        ]
        """
    ).format(routes=routes)


def check_package(package: Package, dist_dir: Path, work: Path) -> tuple[Package, float, str]:
    started = time.monotonic()
    home = work / package.dist
    home.mkdir()
    log = home / "log.txt"
    venv = home / "venv"
    python = venv / "bin" / "python"
    try:
        run(
            ["uv", "venv", "--no-config", "--quiet", "--python", PYTHON, str(venv)],
            cwd=home,
            log=log,
        )

        # Siblings only from the built wheels: URL constraints apply only to what the package
        # declares, so an undeclared sibling is not installed and its import fails below.
        constraints = home / "siblings.txt"
        constraints.write_text(
            "".join(
                f"{other.dist} @ {only(dist_dir, f'{other.wheel_name}-*.whl').as_uri()}\n"
                for other in PACKAGES
                if other is not package
            )
        )
        wheel = only(dist_dir, f"{package.wheel_name}-*.whl")
        extras = f"[{package.extras}]" if package.extras else ""
        run(
            [
                "uv", "pip", "install", "--no-config", "--quiet", "--python", str(python),
                "--constraints", str(constraints),
                f"{package.dist}{extras} @ {wheel.as_uri()}", *TEST_REQUIREMENTS,
            ],
            cwd=home,
            log=log,
        )  # fmt: skip
        listing = run(["uv", "pip", "list", "--python", str(python)], cwd=home, log=log)
        if "rota-site" in listing:
            raise StepFailed("rota-site got installed: a package must never need the site")

        # Imports against declarations.
        audit_file = home / "import_audit.py"
        audit_file.write_text(IMPORT_AUDIT)
        report = json.loads(
            run([str(python), str(audit_file), package.dist, package.module], cwd=home, log=log)
        )
        unused = [d for d in report["unused"] if d not in DECLARED_WITHOUT_IMPORT]
        problems = {
            "imported but not declared": report["undeclared"],
            "imported by testing/ but in no extra": report["undeclared_testing"],
            "declared but never imported": unused,
        }
        if any(problems.values()):
            raise StepFailed(f"pyproject dependencies: {problems}")

        # A throwaway minimal site configured as the README says.
        (home / "site").mkdir()
        run(
            [str(venv / "bin" / "django-admin"), "startproject", "isoproj", "site"],
            cwd=home,
            log=log,
        )
        site = home / "site"
        with (site / "isoproj" / "settings.py").open("a") as handle:
            handle.write(project_settings(package))
        (site / "isoproj" / "urls.py").write_text(project_urls(package))
        for command in (
            ["check"],
            ["migrate", "--noinput"],
            ["makemigrations", "--check", "--dry-run", package.module],
            ["shell", "-c", f"import {package.module} as m; print(m.__version__, m.__file__)"],
        ):
            output = run([str(python), "manage.py", *command], cwd=site, log=log)
        found_version, _, found_file = output.strip().splitlines()[-1].partition(" ")
        if not found_file.startswith(str(venv)):
            raise StepFailed(f"{package.module} was not imported from the venv: {found_file}")
        wheel_version = wheel.name.split("-")[1]
        if found_version != wheel_version:
            raise StepFailed(
                f"{package.module}.__version__ is {found_version}, not {wheel_version}"
            )

        # The package's own tests, from its sdist, against the installed wheel.
        sdist = only(dist_dir, f"{package.wheel_name}-*.tar.gz")
        with tarfile.open(sdist) as archive:
            archive.extractall(home / "sdist", filter="data")
        source = only(home / "sdist", f"{package.wheel_name}-*")
        if not (source / "tests").is_dir():
            raise StepFailed(f"{sdist.name} carries no tests/")
        headings = [
            line
            for line in (source / "CHANGELOG.md").read_text().splitlines()
            if line.startswith("## ")
        ]
        if not headings or headings[0].strip() != "## Unreleased":
            raise StepFailed(f"{package.dist}: CHANGELOG.md must start with '## Unreleased'")
        shutil.rmtree(source / "src")  # the tests must import the installed wheel
        output = run(
            [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=source, log=log
        )
        summary = output.rstrip().splitlines()[-1] if output.strip() else ""
        return package, time.monotonic() - started, summary
    except StepFailed as failure:
        raise StepFailed(f"{package.dist}: {failure}\n(full log: {log})") from None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dists", nargs="*", help="only these packages (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="packages checked at once")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    packages = [p for p in PACKAGES if not args.dists or p.dist in args.dists]
    if not packages:
        parser.error(f"unknown package; choose from {[p.dist for p in PACKAGES]}")

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="rota-isolation-"))
    dist_dir = work / "dist"
    failures = []
    try:
        build(PACKAGES, dist_dir, work / "build.log")
        print(f"built {len(PACKAGES)} wheels and sdists in {time.monotonic() - started:.0f}s")
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(check_package, p, dist_dir, work) for p in packages]
            for future in concurrent.futures.as_completed(futures):
                try:
                    package, seconds, summary = future.result()
                except StepFailed as failure:
                    failures.append(str(failure))
                    print(f"FAIL {failure}\n", flush=True)
                else:
                    print(f"ok   {package.dist:<20} {seconds:5.0f}s  {summary}", flush=True)
    except StepFailed as failure:
        failures.append(str(failure))
        print(f"FAIL {failure}")
    finally:
        if args.keep or failures:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"isolation check: {len(failures)} failed, {time.monotonic() - started:.0f}s in all")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
