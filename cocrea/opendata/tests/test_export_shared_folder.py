"""The bulk files on a folder several machines share (NFS: the worker writes, the app servers
read). A file an export of the same day replaces is not deleted at once, since on NFS a reader
on another machine would lose it half-way: it is retired beside the export, still linked, and
deleted an hour later (export.RETIRED_SECONDS)."""

import os
import time

import pytest

from cocrea.opendata import export

pytestmark = pytest.mark.django_db


def test_files_an_export_replaces_stay_linked_for_an_hour_then_go(tmp_path, plan):
    first = export.export(tmp_path)
    folder = tmp_path / first.stem
    reading = (folder / "commitments.csv").open("rb")  # a download that has begun
    archive_inode = first.stat().st_ino
    try:
        second = export.export(tmp_path)
        assert second == first  # same day, same names: replaced
        (retired,) = tmp_path.glob(".retired-*")
        assert (
            os.fstat(reading.fileno()).st_ino
            == (retired / "replaced" / "commitments.csv").stat().st_ino
        )
        assert (retired / "replaced.zip").stat().st_ino == archive_inode
        assert second.stat().st_ino != archive_inode
        assert not list(tmp_path.glob(".building-*"))
        assert reading.read() == (retired / "replaced" / "commitments.csv").read_bytes()
    finally:
        reading.close()

    past = time.time() - export.RETIRED_SECONDS - 60
    os.utime(retired, (past, past))
    export.export(tmp_path)
    (newer,) = tmp_path.glob(".retired-*")  # what this export replaced, for the next hour
    assert newer != retired and not retired.exists()


def test_the_first_export_of_a_day_retires_nothing(tmp_path, plan):
    export.export(tmp_path)
    assert not list(tmp_path.glob(".retired-*")) and not list(tmp_path.glob(".building-*"))
