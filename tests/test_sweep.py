"""The sweep's selection of records: the rest of the catalogue after a record id, or a listed chunk."""

import pytest

import mapping
from mapping import sweep

PROVEN = [r.id for r in mapping.load() if r.checks]


def test_after_picks_the_records_that_follow_in_catalogue_order():
    assert sweep.chosen(PROVEN[0], 0, "") == PROVEN[1:]
    assert sweep.chosen(PROVEN[10], 3, "") == PROVEN[11:14]


def test_ids_file_keeps_its_order_and_refuses_unknown_ids(tmp_path):
    listed = tmp_path / "ids.txt"
    listed.write_text(f"{PROVEN[5]}\n\n{PROVEN[2]}\n")
    assert sweep.chosen("", 0, str(listed)) == [PROVEN[5], PROVEN[2]]
    listed.write_text("torch.no_such_api\n")
    with pytest.raises(SystemExit, match="torch.no_such_api"):
        sweep.chosen("", 0, str(listed))
    with pytest.raises(SystemExit, match="no record"):
        sweep.chosen("torch.no_such_api", 0, "")
