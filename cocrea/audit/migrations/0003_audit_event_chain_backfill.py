from django.db import migrations

# Events about these were public before the log said so: the public repository shows them.
PUBLIC_TYPES = {
    "plans.member",
    "plans.institution",
    "plans.actionplan",
    "plans.commitment",
    "plans.milestone",
}
BATCH = 1000


def _milestone_commitments(apps, ids):
    """{milestone id: commitment id} for the milestones that still exist. Without a dependency
    on plans (audit sits below it): on a database where plans is not migrated yet there are no
    events about milestones either."""
    try:
        milestone = apps.get_model("plans", "Milestone")
    except LookupError:
        return {}
    numeric = [int(i) for i in ids if i.isdigit()]
    return {
        str(pk): str(commitment_id)
        for pk, commitment_id in milestone.objects.filter(pk__in=numeric)
        .order_by()
        .values_list("pk", "commitment_id")
    }


def chain_existing_events(apps, schema_editor):
    # The published algorithm (docs/audit-log.md), which never changes: every downloaded log
    # depends on it, so this migration may use the one implementation.
    from cocrea.audit import chain

    event = apps.get_model("audit", "AuditEvent")
    milestone_ids = event.objects.filter(target_type="plans.milestone").values_list(
        "target_id", flat=True
    )
    commitments = _milestone_commitments(apps, set(milestone_ids))
    prev_hash = chain.GENESIS
    batch = []
    for row in event.objects.order_by("id").iterator(chunk_size=BATCH):
        row.public = row.target_type in PUBLIC_TYPES
        row.context_type, row.context_id = row.target_type, row.target_id
        if row.target_type == "plans.milestone" and row.target_id in commitments:
            row.context_type, row.context_id = "plans.commitment", commitments[row.target_id]
        row.prev_hash = prev_hash
        row.payload_hash = chain.payload_hash(chain.event_payload(vars(row)))
        row.hash = prev_hash = chain.link_hash(row.prev_hash, row.payload_hash)
        batch.append(row)
        if len(batch) == BATCH:
            _save(event, batch)
            batch = []
    _save(event, batch)


def _save(event, rows):
    fields = ["public", "context_type", "context_id", "prev_hash", "payload_hash", "hash"]
    event.objects.bulk_update(rows, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_audit_event_chain_fields"),
    ]

    operations = [
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
    ]
