import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wecom_helpers import CORP_ID, contact_xml

from custpool import Interaction, read_jsonl
from custpool.wecom import JsonlSink, parse_event, read_xml


def _items(n, start=0):
    out = []
    for k in range(start, start + n):
        xml = contact_xml("add_external_contact", ext=f"wmC{k}", create_time=1403610513 + k)
        out += parse_event(read_xml(xml), corp_id=CORP_ID).interactions
    return out


def test_a_batch_lands_once_and_reads_back(tmp_path):
    path = tmp_path / "w.jsonl"
    sink = JsonlSink(path)
    items = _items(3)
    assert sink(items) == 3
    assert sink(items[::-1]) == 0
    assert len(sink) == 3
    assert sorted(read_jsonl(path, Interaction, strict=True).records, key=lambda i: i.id) == sorted(
        items, key=lambda i: i.id
    )


def test_duplicates_are_dropped_across_restarts(tmp_path):
    path = tmp_path / "w.jsonl"
    JsonlSink(path)(_items(2))
    again = JsonlSink(path)
    assert again(_items(3)) == 1  # only the third is new
    assert len(path.read_text().splitlines()) == 3


def test_a_failed_write_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "w.jsonl"
    sink = JsonlSink(path)
    sink(_items(1))
    before = path.read_bytes()

    def half_then_fail(fd, data):
        os.ftruncate(fd, os.fstat(fd).st_size)  # the real file, written in part ...
        real_write(fd, data[: len(data) // 2])
        raise OSError("disk full")  # ... then the disk fills

    real_write = os.write
    monkeypatch.setattr(os, "write", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        sink(_items(3, start=1))
    monkeypatch.undo()
    assert path.read_bytes() == before  # cut back: nothing half-written
    assert sink(_items(3, start=1)) == 3  # and the batch is taken again on the retry


def test_a_short_write_is_cut_back_and_raised(tmp_path, monkeypatch):
    path = tmp_path / "w.jsonl"
    sink = JsonlSink(path)
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, data[:10]))
    with pytest.raises(OSError, match="short write"):
        sink(_items(2))
    assert path.read_bytes() == b""
    assert len(sink) == 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.integers(0, 15), max_size=6), max_size=8))
def test_whatever_the_batches_each_id_lands_exactly_once(tmp_path_factory, batches):
    path = tmp_path_factory.mktemp("sink") / "w.jsonl"
    pool = _items(16)
    sink = JsonlSink(path)
    for batch in batches:
        sink([pool[k] for k in batch])
    ids = (
        [json.loads(line)["id"] for line in path.read_text().splitlines()] if path.exists() else []
    )
    assert sorted(ids) == sorted({pool[k].id for batch in batches for k in batch})


def test_a_line_torn_by_a_crash_is_cut_off_with_a_warning(tmp_path):
    path = tmp_path / "wecom.jsonl"
    sink = JsonlSink(path)
    assert sink(_items(2)) == 2
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"id": "torn", "custo')  # the crash came mid-write
    with pytest.warns(UserWarning, match="cut 21 bytes"):
        again = JsonlSink(path)
    assert path.read_bytes() == whole
    assert len(again) == 2
