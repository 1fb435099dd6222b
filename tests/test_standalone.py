"""The repository stands alone: it carries its data (checked by sha256) and names nothing outside its clone."""

import hashlib
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = {"shakespeare_char/input.txt", "names/names.txt"}


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked files cannot be listed")
    return [REPO / name for name in out.decode().split("\0") if name]


def test_no_tracked_file_names_a_folder_outside_the_clone():
    outside = re.compile(r"\.\./" + "shared" + r"\b|\b" + "shared" + r"/(data|corpus)\b")
    found = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, IsADirectoryError):
            continue
        lines = enumerate(text.splitlines(), 1)
        found += [f"{path.relative_to(REPO)}:{i}" for i, line in lines if outside.search(line)]
    assert not found, f"these lines name a folder a user's clone does not have: {found}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_data_file_matches_the_checksum_each_reader_uses():
    from examples import _common, train_torch
    from nanogpt_jax import prepare_shakespeare_char

    readme = (REPO / "data" / "README.md").read_text()
    for name in DATA:
        digest = sha256(REPO / "data" / name)
        assert f"`{name}`" in readme and digest in readme, name
        assert _common.SHA256[name] == digest
    assert prepare_shakespeare_char.INPUT_SHA256 == sha256(REPO / "data" / "shakespeare_char" / "input.txt")
    assert train_torch.DATA_SHA256 == prepare_shakespeare_char.INPUT_SHA256
    assert Path(prepare_shakespeare_char.DEFAULT_INPUT).resolve() == (REPO / "data/shakespeare_char/input.txt")
    assert Path(train_torch.DATA).resolve() == prepare_shakespeare_char.DEFAULT_INPUT.resolve()


def test_an_altered_data_file_is_refused(tmp_path, monkeypatch):
    from examples import _common

    (tmp_path / "names").mkdir()
    (tmp_path / "names" / "names.txt").write_text("emma\nolivia\n")
    monkeypatch.setattr(_common, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match="does not match its sha256"):
        _common.data_file("names", "names.txt")


def test_prepare_refuses_an_altered_bundled_input(tmp_path, monkeypatch):
    from nanogpt_jax import prepare_shakespeare_char as prep

    altered = tmp_path / "input.txt"
    altered.write_text("First Citizen:\nBefore we proceed any further, hear me speak.\n")
    monkeypatch.setattr(prep, "DEFAULT_INPUT", altered)
    with pytest.raises(SystemExit, match="does not match its sha256"):
        prep.read_input(altered)
    other = tmp_path / "mine.txt"  # a user's own text is read as it is
    other.write_text("hello")
    assert prep.read_input(other) == "hello"
