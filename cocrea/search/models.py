"""The search index (issue 24): one row per public thing that can be found (a meeting and its
minutes are two), derived from the domain's tables and kept in step from the audit log. Only
what anyone may read is ever written here, so a search can never show more than the public
pages do, whoever searches.

The text itself is searched by the database's own engine: on PostgreSQL a weighted `tsvector`
in `vector` (title A, body B) with a GIN index, in a Spanish configuration over `unaccent`; on
SQLite an FTS5 table over `title` and `body` with diacritics removed (migration 0002)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cocrea.audit.models import LogCursor


class Kind(models.TextChoices):
    COMMITMENT = "commitment", _("Commitment")
    MILESTONE = "milestone", _("Milestone")
    REPORT = "report", _("Progress report")
    ASSESSMENT = "assessment", _("Civil-society assessment")
    PROPOSAL = "proposal", _("Proposal")
    COMMENT = "comment", _("Comment")
    ANSWER = "answer", _("Answer to a proposal")
    MEETING = "meeting", _("Forum meeting")
    MINUTES = "minutes", _("Minutes")
    DRAFT = "draft", _("Draft commitment")
    INSTITUTION = "institution", _("Institution")
    PLAN = "plan", _("Action plan")


class Entry(models.Model):
    """One thing that can be found: its kind, the thing as the audit log names it, its title,
    text and page, and what it can be filtered by."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=80)
    title = models.TextField()
    body = models.TextField(blank=True)
    # What it belongs to, shown with the result and not searched (a comment's proposal, a
    # milestone's commitment), so a word of the commitment does not find all its milestones.
    context = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    language = models.CharField(max_length=8, default="es")
    plan = models.ForeignKey(
        "plans.ActionPlan", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        "plans.Institution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    department = models.CharField(max_length=40, blank=True)
    # The policy areas' slugs, each between bars ("|salud|agua|"), so one filter is a LIKE.
    policy_areas = models.CharField(max_length=500, blank=True)
    date = models.DateField(null=True, blank=True)
    vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "kind"], name="search_entry_once"
            )
        ]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["kind", "date"]),
            # A department narrows a search more than its words: the filter reads this first.
            models.Index(
                fields=["department"], condition=~Q(department=""), name="search_entry_department"
            ),
        ]
        # And "search_entry_newest" (migration 0003), the newest first for a search with more
        # results than are ranked (engine.newest): its NULLS LAST is PostgreSQL's alone.

    def __str__(self) -> str:
        return f"{self.kind}: {self.title[:60]}"


class IndexCursor(LogCursor):
    """How far in the audit log the index has been kept in step (one row)."""

    class Meta:
        verbose_name = _("search index's place in the audit log")
        verbose_name_plural = _("search index's place in the audit log")
