"""Every action that the code can record is told as a sentence, in Spanish and in English: the
actions are read from the source (each `event_record(action=...)`), so a new one without its
sentence fails here rather than showing its technical name on the public pages."""

import ast
import itertools
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import translation

from cocrea.audit import display

pytestmark = pytest.mark.usefixtures("english")

ROOT = Path(__file__).resolve().parents[2]

# Actions written as f-strings name their object's model: which models each file records so.
MODELS_BY_FILE = {
    "plans/services.py": [
        "member",
        "institution",
        "actionplan",
        "commitment",
        "milestone",
        "membership",
    ],
    "forum/services.py": ["forum", "forumseat"],
}


def _options(node: ast.expr, where: str) -> list[str]:
    """Every text an `action=` expression can take."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _options(node.body, where) + _options(node.orelse, where)
    if isinstance(node, ast.FormattedValue):
        if isinstance(node.value, ast.IfExp):
            return _options(node.value, where)
        assert where in MODELS_BY_FILE, f"{where}: say which models its f-string action names"
        return MODELS_BY_FILE[where]
    if isinstance(node, ast.JoinedStr):
        parts = [_options(value, where) for value in node.values]
        return ["".join(p) for p in itertools.product(*parts)]
    raise AssertionError(f"{where}: an action this test cannot read: {ast.dump(node)}")


def recorded_actions() -> set[str]:
    actions: set[str] = set()
    for path in sorted(ROOT.glob("*/**/*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(), where)):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "event_record"
            ):
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        actions.update(_options(keyword.value, where))
    return actions


def test_the_source_is_read():
    actions = recorded_actions()
    assert {"milestone.update", "irmreview.create", "progressreport.publish"} <= actions
    assert {"forumseat.end", "draft.approve", "ogpimport.finish", "role.grant"} <= actions
    assert len(actions) > 50


def test_every_recorded_action_has_its_sentence():
    missing = sorted(recorded_actions() - set(display.SENTENCES))
    assert not missing, f"actions without a sentence in audit/display.py: {missing}"


@pytest.mark.parametrize("action", sorted(recorded_actions()))
def test_each_sentence_is_translated_into_spanish(action):
    english = str(display.SENTENCES[action])
    assert "%(" not in english or english.count("%(") == english.count(")s")
    with translation.override("es"):
        spanish = str(display.SENTENCES[action])
    assert spanish != english, f"{action}: no Spanish sentence in the catalogue"
    assert sorted(_placeholders(spanish)) == sorted(_placeholders(english))


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def _placeholders(text: str) -> list[str]:
    return [part.split(")")[0] for part in text.split("%(")[1:]]


def _event(action: str, changes: dict, target_type: str = "plans.milestone", target="1. Hito"):
    return SimpleNamespace(
        action=action, target_type=target_type, target_repr=target, changes=changes
    )


def test_an_unknown_action_has_a_sentence_in_both_languages():
    event = _event("something.new", {})
    assert display.sentence(event) == "Change recorded: 1. Hito"
    with translation.override("es"):
        assert display.sentence(event) != "Change recorded: 1. Hito"
        assert "1. Hito" in display.sentence(event)


def test_a_sentence_whose_value_is_missing_falls_back():
    assert display.sentence(_event("progressreport.publish", {})) == "Change recorded: 1. Hito"


def test_a_change_is_told_from_its_old_value_to_its_new_one_with_dates_in_words():
    event = _event("milestone.update", {"end_date": ["2026-06-30", "2026-12-31"]})
    assert display.details(event) == ["End date changed from June 30, 2026 to Dec. 31, 2026."]
    with translation.override("es"):
        (said,) = display.details(event)
    assert "30 de junio de 2026" in said and "31 de diciembre de 2026" in said


def test_evidence_added_is_told_by_its_file_name_and_size_never_its_hash():
    digest = "ab" * 32
    event = _event(
        "progressreport.publish",
        {
            "milestone": [None, "2. Publicar"],
            "facts_date": [None, "2026-12-03"],
            "evidence": [
                None,
                [
                    {"file": "informe.pdf", "sha256": digest, "size": 168_960},
                    {"link": "https://example.org/a", "title": "Acta"},
                ],
            ],
        },
        target_type="tracking.progressreport",
    )
    assert display.sentence(event) == (
        "Progress report published on the milestone “2. Publicar”, with the facts as of "
        "Dec. 3, 2026"
    )
    assert display.details(event) == [
        "Evidence added: informe.pdf (165 KB).",
        "Link added as evidence: Acta (https://example.org/a).",
    ]
    shown = display.changes_shown(event)
    assert "{" not in " ".join(c.after for c in shown)
