"""The command line's contract (migrate/cli.py): fast start, no heavy imports, clear errors."""

import json
import subprocess
import sys
import time


def jaxmigrate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "migrate.cli", *args], capture_output=True, text=True)


def test_help_lists_subcommands_without_importing_frameworks():
    code = ("import sys\nfrom migrate.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('torch', 'jax', 'libcst', 'flax', 'optax') if m in sys.modules]\n"
            "assert not heavy, heavy")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "catalogue" in done.stdout and "verify" in done.stdout


def test_help_starts_in_under_a_second():
    start = time.perf_counter()
    assert jaxmigrate("--help").returncode == 0
    assert time.perf_counter() - start < 1.0


def test_version():
    done = jaxmigrate("--version")
    assert done.returncode == 0 and done.stdout.startswith("jaxmigrate ")


def test_catalogue_json_has_the_record_fields():
    done = jaxmigrate("catalogue", "--format", "json")
    data = json.loads(done.stdout)
    assert data["records"], "empty catalogue"
    for r in data["records"]:
        assert {"id", "torch", "aliases", "jax", "status", "checks", "notes"} <= set(r)
    assert set(data["verified_with"]) == {"torch", "jax", "flax", "optax"}


def test_verify_unknown_record_is_a_usage_error():
    done = jaxmigrate("verify", "torch.no_such_thing")
    assert done.returncode == 2 and "no record matches" in done.stderr


def test_verify_runs_a_record():
    done = jaxmigrate("verify", "torch.cat", "--examples", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "torch.cat" in done.stdout and "1 passed, 0 failed" in done.stdout


def test_verified_versions_are_installed():
    from importlib.metadata import version

    from mapping.versions import VERIFIED_WITH

    for package, expected in VERIFIED_WITH.items():
        assert version(package).split("+")[0] == expected, f"re-verify the catalogue with {package} {version(package)}"


def test_a_closed_pipe_stops_quietly():
    """`jaxmigrate catalogue --format json | head -1`: no traceback when the reader leaves early."""
    proc = subprocess.Popen([sys.executable, "-m", "migrate.cli", "catalogue", "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.readline()
    proc.stdout.close()  # the reader leaves; the rest of the catalogue (> 64 KiB) hits a closed pipe
    err = proc.stderr.read()
    assert proc.wait() == 141 and "Traceback" not in err, err
