"""The derived figures of a plan: progress, overall completion and overdue milestones.

The rule, also in docs/progress.md (keep both in step):

* A milestone's completion counts as a share of done: not started 0, limited 1/3,
  substantial 2/3, complete 1.
* A commitment's progress is the weighted mean of its milestones' shares, weighted by each
  milestone's weight. Withdrawn milestones are left out of both sums. A commitment with no
  milestones, or only withdrawn ones, has no progress figure (None), never 0.
* Percentages are rounded down, so 100 % always means every counted milestone is complete.
* A commitment's overall completion: no milestones: none; only withdrawn: withdrawn; exact
  progress 0: not started; 1: complete; at least 1/2: substantial; otherwise limited.
* A milestone is overdue when it has an end date, that date is before today, and it is neither
  complete nor withdrawn.
* A plan's progress is the plain mean of its commitments' exact progress, over the commitments
  that have a figure; none has one: no figure.
"""

from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from math import floor
from typing import Protocol

NOT_STARTED = "not_started"
LIMITED = "limited"
SUBSTANTIAL = "substantial"
COMPLETE = "complete"
WITHDRAWN = "withdrawn"

# Shares done in thirds, so the arithmetic stays in whole numbers (exact and fast).
THIRDS_DONE: dict[str, int] = {NOT_STARTED: 0, LIMITED: 1, SUBSTANTIAL: 2, COMPLETE: 3}


class MilestoneLike(Protocol):
    completion: str
    weight: int
    end_date: date | None


def exact_progress(milestones: Iterable[MilestoneLike]) -> Fraction | None:
    done, total = _thirds(milestones)
    return None if total == 0 else Fraction(done, total)


def _thirds(milestones: Iterable[MilestoneLike]) -> tuple[int, int]:
    """(thirds done, thirds possible), weighted, withdrawn milestones left out."""
    done = total = 0
    for milestone in milestones:
        if milestone.completion == WITHDRAWN:
            continue
        done += THIRDS_DONE[milestone.completion] * milestone.weight
        total += 3 * milestone.weight
    return done, total


def as_percent(progress: Fraction | None) -> int | None:
    return None if progress is None else floor(progress * 100)


def commitment_progress(milestones: Iterable[MilestoneLike]) -> int | None:
    done, total = _thirds(milestones)
    return None if total == 0 else done * 100 // total


def commitment_completion(milestones: Iterable[MilestoneLike]) -> str | None:
    milestones = list(milestones)
    if not milestones:
        return None
    done, total = _thirds(milestones)
    if total == 0:
        return WITHDRAWN
    if done == 0:
        return NOT_STARTED
    if done == total:
        return COMPLETE
    if 2 * done >= total:
        return SUBSTANTIAL
    return LIMITED


def milestone_is_overdue(milestone: MilestoneLike, today: date) -> bool:
    return (
        milestone.end_date is not None
        and milestone.end_date < today
        and milestone.completion not in (COMPLETE, WITHDRAWN)
    )


def plan_progress(commitment_milestones: Iterable[Iterable[MilestoneLike]]) -> int | None:
    figures = [p for ms in commitment_milestones if (p := exact_progress(ms)) is not None]
    if not figures:
        return None
    return as_percent(sum(figures, Fraction(0)) / len(figures))


# A commitment's status, from dates and progress (docs/progress.md, "Status").
ON_TRACK = "on_track"
AT_RISK = "at_risk"
OVERDUE = "overdue"
DUE_SOON_DAYS = 60


def commitment_status(milestones: Iterable[MilestoneLike], today: date) -> str | None:
    """None without counted milestones; complete when all are; overdue when any milestone is;
    at risk when one due within DUE_SOON_DAYS is not past "limited"; otherwise on track."""
    counted = [m for m in milestones if m.completion != WITHDRAWN]
    if not counted:
        return None
    if all(m.completion == COMPLETE for m in counted):
        return COMPLETE
    if any(milestone_is_overdue(m, today) for m in counted):
        return OVERDUE
    if any(
        m.end_date is not None
        and 0 <= (m.end_date - today).days <= DUE_SOON_DAYS
        and m.completion in (NOT_STARTED, LIMITED)
        for m in counted
    ):
        return AT_RISK
    return ON_TRACK
