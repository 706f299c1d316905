"""The derived rules of docs/progress.md, edge cases included."""

from dataclasses import dataclass
from datetime import date

import pytest

from cocrea.plans import progress


@dataclass
class M:
    completion: str
    weight: int = 1
    end_date: date | None = None


def test_no_milestones_means_no_progress_figure_not_zero():
    assert progress.commitment_progress([]) is None
    assert progress.commitment_completion([]) is None


def test_only_withdrawn_milestones_have_no_figure_and_count_as_withdrawn():
    milestones = [M("withdrawn"), M("withdrawn", weight=3)]
    assert progress.commitment_progress(milestones) is None
    assert progress.commitment_completion(milestones) == "withdrawn"


def test_progress_is_weighted_by_milestone_weight():
    # complete (weight 3) + not started (weight 1) = 3/4
    assert progress.commitment_progress([M("complete", 3), M("not_started", 1)]) == 75
    assert progress.commitment_progress([M("complete", 1), M("not_started", 3)]) == 25


def test_withdrawn_milestones_are_excluded_from_both_sums():
    with_withdrawn = [M("complete"), M("not_started"), M("withdrawn", weight=10)]
    assert progress.commitment_progress(with_withdrawn) == 50


def test_limited_and_substantial_count_as_thirds():
    assert progress.commitment_progress([M("limited")]) == 33
    assert progress.commitment_progress([M("substantial")]) == 66


def test_percent_is_rounded_down_so_100_means_complete():
    # 99 complete of weight 100 and one not started of weight 1: 99.99...% is shown as 99.
    milestones = [M("complete", 100)] * 99 + [M("not_started", 1)]
    assert progress.commitment_progress(milestones) == 99
    assert progress.commitment_completion(milestones) == "substantial"


@pytest.mark.parametrize(
    ("completions", "expected"),
    [
        (["not_started", "not_started"], "not_started"),
        (["complete", "complete", "withdrawn"], "complete"),
        (["complete", "not_started"], "substantial"),  # exactly one half
        (["limited", "not_started"], "limited"),  # one sixth
        (["substantial", "substantial"], "substantial"),
        (["limited", "limited", "limited"], "limited"),
    ],
)
def test_overall_completion_from_exact_progress(completions, expected):
    assert progress.commitment_completion([M(c) for c in completions]) == expected


def test_milestone_is_overdue_only_when_end_date_passed_and_not_done():
    today = date(2025, 1, 10)
    assert progress.milestone_is_overdue(M("limited", end_date=date(2025, 1, 9)), today)
    assert progress.milestone_is_overdue(M("not_started", end_date=date(2020, 1, 1)), today)


@pytest.mark.parametrize("completion", ["complete", "withdrawn"])
def test_done_or_withdrawn_milestones_are_never_overdue(completion):
    assert not progress.milestone_is_overdue(
        M(completion, end_date=date(2020, 1, 1)), date(2025, 1, 1)
    )


def test_a_milestone_due_today_or_without_end_date_is_not_overdue():
    today = date(2025, 1, 10)
    assert not progress.milestone_is_overdue(M("not_started", end_date=today), today)
    assert not progress.milestone_is_overdue(M("not_started", end_date=None), today)


def test_plan_progress_is_the_mean_over_commitments_with_a_figure():
    commitments = [[M("complete")], [M("not_started")], [], [M("withdrawn")]]
    assert progress.plan_progress(commitments) == 50
    assert progress.plan_progress([[], []]) is None


TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("milestones", "status"),
    [
        ([], None),
        ([M("withdrawn")], None),
        ([M("complete"), M("withdrawn", end_date=date(2020, 1, 1))], "complete"),
        ([M("substantial", end_date=date(2025, 5, 31)), M("complete")], "overdue"),
        ([M("limited", end_date=date(2025, 7, 31))], "at_risk"),
        ([M("not_started", end_date=TODAY)], "at_risk"),
        ([M("substantial", end_date=date(2025, 7, 1))], "on_track"),
        ([M("not_started", end_date=date(2025, 8, 1))], "on_track"),
        ([M("limited")], "on_track"),
    ],
)
def test_commitment_status_from_dates_and_progress(milestones, status):
    assert progress.commitment_status(milestones, TODAY) == status
