from datetime import date

import factory

from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, Milestone


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        django_get_or_create = ("code",)

    name = "Guatemala"
    code = "GTM"
    slug = "guatemala"
    region = "Américas"
    is_default = True


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Ministerio de Prueba {n}")
    acronym = factory.Sequence(lambda n: f"MP{n}")
    slug = factory.Sequence(lambda n: f"ministerio-{n}")
    kind = Institution.Kind.GOVERNMENT


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    member = factory.SubFactory(MemberFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Plan de acción {n + 1}")
    slug = factory.Sequence(lambda n: f"plan-{n + 1}")
    start_date = date(2023, 9, 1)
    end_date = date(2025, 8, 31)
    status = ActionPlan.Status.IMPLEMENTATION


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    slug = factory.Sequence(lambda n: f"compromiso-{n + 1}")
    title = factory.Sequence(lambda n: f"Compromiso número {n + 1}")
    short_description = "Más información pública."
    problem = "Falta información."
    lead_institution = factory.SubFactory(InstitutionFactory)
    start_date = date(2023, 9, 1)
    end_date = date(2025, 8, 31)

    @factory.post_generation
    def policy_areas(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.policy_areas.set(extracted)

    @factory.post_generation
    def supporting_institutions(
        self, create: bool, extracted: list | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.supporting_institutions.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    commitment = factory.SubFactory(CommitmentFactory)
    number = factory.Sequence(lambda n: n + 1)
    description = factory.Sequence(lambda n: f"Hito de prueba {n + 1}")
    expected_output = "Informe publicado"
    start_date = date(2023, 9, 1)
    end_date = date(2024, 8, 31)
    responsible_institution = factory.SelfAttribute("commitment.lead_institution")
    weight = 1
    completion = Milestone.Completion.NOT_STARTED
