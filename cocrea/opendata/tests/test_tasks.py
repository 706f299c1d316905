"""The bulk files follow the data: a committed change queues one export for a few minutes
later (changes in between go together), a rolled-back change queues nothing, and the worker
(`manage.py db_worker`, the real one) writes the files the open-data page then lists."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cocrea.plans import services as plan_services
from cocrea.plans.models import Institution

pytestmark = pytest.mark.django_db
# The worker runs as it does beside the server, on committed data and closing connections it
# finds in a transaction: so this test commits for real.
WORKER = pytest.mark.django_db(transaction=True)

TASK = "cocrea.opendata.tasks.opendata_export"


def _rename(institution: Institution, name: str, actor) -> None:
    institution.name = name
    plan_services.institution_save(actor=actor, institution=institution)


def test_changes_queue_one_export_for_later(
    settings, personas, institutions, django_capture_on_commit_callbacks
):
    settings.COCREA_OPENDATA_EXPORT_DELAY = 300
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _rename(institutions["mineduc"], "Ministerio de Educación (nuevo nombre)", None)
    with django_capture_on_commit_callbacks(execute=True):
        _rename(institutions["mineduc"], "Ministerio de Educación", None)
    (queued,) = DBTaskResult.objects.filter(task_path=TASK)
    assert queued.status == TaskResultStatus.READY
    assert queued.run_after is not None
    assert queued.run_after >= before + timedelta(seconds=299)


def test_a_change_that_rolls_back_queues_nothing(
    personas, institutions, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _rename(institutions["mineduc"], "Nombre que no queda", None)
        raise RuntimeError("the change fails after its event was recorded")
    assert not DBTaskResult.objects.filter(task_path=TASK).exists()


@WORKER
def test_the_worker_exports_and_the_page_lists_the_new_files(
    tmp_path, settings, client, personas, institutions
):
    settings.COCREA_OPENDATA_ROOT = tmp_path
    settings.COCREA_OPENDATA_EXPORT_DELAY = 0
    assert "cocrea-datos-" not in client.get("/en/datos-abiertos/").content.decode()
    _rename(institutions["mineduc"], "Ministerio de Educación Pública", None)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    (done,) = DBTaskResult.objects.filter(task_path=TASK)
    assert done.status == TaskResultStatus.SUCCESSFUL, done.traceback
    day = timezone.localdate().isoformat()
    assert done.return_value == f"cocrea-datos-{day}.zip"
    folder = tmp_path / f"cocrea-datos-{day}"
    assert "Ministerio de Educación Pública" in (folder / "institutions.csv").read_text()
    page = client.get("/en/datos-abiertos/").content.decode()
    assert f"cocrea-datos-{day}.zip" in page
    assert not list(tmp_path.glob(".building-*"))


def test_an_export_replaces_the_files_of_the_same_day_and_keeps_a_week(tmp_path, settings):
    settings.COCREA_OPENDATA_ROOT = tmp_path
    for old_day in range(1, 10):  # nine older exports
        (tmp_path / f"cocrea-datos-2020-01-0{old_day}.zip").write_bytes(b"old")
        (tmp_path / f"cocrea-datos-2020-01-0{old_day}").mkdir()
    call_command("export_opendata", verbosity=0)
    call_command("export_opendata", verbosity=0)  # again the same day: replaced, not added
    archives = sorted(p.name for p in tmp_path.glob("cocrea-datos-*.zip"))
    assert len(archives) == 7
    assert archives[-1] == f"cocrea-datos-{timezone.localdate().isoformat()}.zip"
    assert sorted(p.name for p in tmp_path.glob("cocrea-datos-*") if p.is_dir()) == [
        a.removesuffix(".zip") for a in archives
    ]


@WORKER
def test_exports_queued_together_cost_one_export(tmp_path, settings, personas, institutions):
    """Several exports are queued in one span only when the cache is away (its `add` then says
    "queue it"): the first to run exports, the others find nothing left to do."""
    from cocrea.opendata.tasks import opendata_export

    settings.COCREA_OPENDATA_ROOT = tmp_path
    for _ in range(3):
        opendata_export.enqueue()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    done = DBTaskResult.objects.filter(task_path=TASK).order_by("started_at")
    assert [r.status for r in done] == [TaskResultStatus.SUCCESSFUL] * 3
    day = timezone.localdate().isoformat()
    assert [r.return_value for r in done] == [f"cocrea-datos-{day}.zip", "", ""]

    opendata_export.enqueue()  # queued after that export started: it exports again
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    last = DBTaskResult.objects.filter(task_path=TASK).latest("started_at")
    assert last.return_value == f"cocrea-datos-{day}.zip"
