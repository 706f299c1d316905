"""My space shows each person the tracking work that is theirs; the data download carries what
they wrote."""

import json

from django.urls import reverse

from cocrea.tracking import services


def _draft(personas, milestone, done="Borrador de la funcionaria"):
    return services.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="limited",
        percent=20,
        done=done,
        facts_date=milestone.commitment.start_date,
    )


def test_officials_see_their_institutions_drafts_and_others_do_not(client, personas, milestone):
    report = _draft(personas, milestone)
    link = reverse("tracking:report", kwargs={"public_id": report.public_id})
    for persona, sees in (("official", True), ("coordinator", True), ("other_official", False)):
        client.force_login(personas[persona])
        assert (link in client.get(reverse("accounts:my_space")).content.decode()) == sees


def test_the_point_of_contact_sees_reports_awaiting_publication(client, personas, milestone):
    report = _draft(personas, milestone)
    link = reverse("tracking:report", kwargs={"public_id": report.public_id})
    client.force_login(personas["point_of_contact"])
    assert link not in client.get(reverse("accounts:my_space")).content.decode()
    services.progress_report_submit(actor=personas["official"], report=report)
    assert link in client.get(reverse("accounts:my_space")).content.decode()


def test_a_returned_report_shows_the_reason_to_its_officials(client, personas, milestone):
    report = _draft(personas, milestone)
    services.progress_report_submit(actor=personas["official"], report=report)
    services.progress_report_return(
        actor=personas["point_of_contact"], report=report, reason="Adjunte el acta firmada."
    )
    client.force_login(personas["official"])
    assert "Adjunte el acta firmada." in client.get(reverse("accounts:my_space")).content.decode()


def test_the_data_download_carries_the_reports_and_assessments_they_wrote(
    client, personas, institutions, milestone
):
    _draft(personas, milestone)
    services.assessment_publish(
        actor=personas["cso_member"],
        commitment=milestone.commitment,
        organisation=institutions["cso"],
        completion="limited",
        reading="Nuestra lectura",
    )
    client.force_login(personas["official"])
    data = json.loads(client.get(reverse("accounts:data_export")).content)
    assert [r["done"] for r in data["progress_reports"]] == ["Borrador de la funcionaria"]
    assert data["assessments"] == []
    client.force_login(personas["cso_member"])
    data = json.loads(client.get(reverse("accounts:data_export")).content)
    assert [a["reading"] for a in data["assessments"]] == ["Nuestra lectura"]
    assert data["progress_reports"] == []
