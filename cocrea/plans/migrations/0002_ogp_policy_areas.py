"""Load OGP's policy-area taxonomy: themes and their areas, with the exact column headers of OGP's
commitments database and names in Spanish and English. Reference data, so it lives in a migration:
every database, the tests' included, has it."""

from django.db import migrations
from django.utils.text import slugify

# (OGP column, Spanish, English); a theme's areas follow it in the nested list.
THEMES = [
    (("Anti-Corruption and Integrity", "Anticorrupción e integridad", "Anti-corruption and integrity"), [
        ("Anti-corruption Institutions", "Instituciones anticorrupción", "Anti-corruption institutions"),
        ("Anti-Corruption Strategies", "Estrategias anticorrupción", "Anti-corruption strategies"),
        ("Asset Disclosure", "Declaración patrimonial", "Asset disclosure"),
        ("Audits", "Auditorías", "Audits"),
        ("Beneficial Ownership", "Beneficiarios finales", "Beneficial ownership"),
        ("Conflicts Of Interest", "Conflictos de interés", "Conflicts of interest"),
        ("Elections", "Elecciones", "Elections"),
        ("Political Finance", "Financiamiento político", "Political finance"),
        ("Lobbying", "Cabildeo", "Lobbying"),
        ("Open Contracting", "Contrataciones abiertas", "Open contracting"),
        ("Public Procurement", "Compras públicas", "Public procurement"),
        ("Right To Information", "Derecho de acceso a la información", "Right to information"),
        ("Whistleblower Protections", "Protección de denunciantes", "Whistleblower protections"),
    ]),
    (("Civic Space and Enabling Environment", "Espacio cívico y entorno habilitante", "Civic space and enabling environment"), [
        ("Freedom of Assembly", "Libertad de reunión", "Freedom of assembly"),
        ("Freedom of Association", "Libertad de asociación", "Freedom of association"),
        ("Freedom of Expression", "Libertad de expresión", "Freedom of expression"),
    ]),
    (("Democratizing Decision-Making", "Democratización de la toma de decisiones", "Democratizing decision-making"), [
        ("Digital Participation", "Participación digital", "Digital participation"),
        ("Mainstreaming Participation", "Transversalización de la participación", "Mainstreaming participation"),
        ("Regulatory Governance", "Gobernanza regulatoria", "Regulatory governance"),
        ("Social Accountability", "Auditoría social", "Social accountability"),
    ]),
    (("Digital Governance", "Gobernanza digital", "Digital governance"), [
        ("Automated Decision-making", "Decisiones automatizadas", "Automated decision-making"),
        ("Data Stewardship and Privacy", "Gestión de datos y privacidad", "Data stewardship and privacy"),
        ("Digital Inclusion", "Inclusión digital", "Digital inclusion"),
        ("Disinformation/Misinformation", "Desinformación", "Disinformation and misinformation"),
        ("Online Civic Space", "Espacio cívico en línea", "Online civic space"),
    ]),
    (("Environment & Climate", "Ambiente y clima", "Environment and climate"), [
        ("Climate Finance", "Financiamiento climático", "Climate finance"),
        ("Climate Mitigation and Adaptation", "Mitigación y adaptación al cambio climático", "Climate mitigation and adaptation"),
        ("Environmental Regulation", "Regulación ambiental", "Environmental regulation"),
        ("International Environmental Agreements", "Acuerdos ambientales internacionales", "International environmental agreements"),
    ]),
    (("Fiscal Openness", "Apertura fiscal", "Fiscal openness"), [
        ("Publication Of Budget/Fiscal Information", "Publicación de información presupuestaria y fiscal", "Publication of budget and fiscal information"),
        ("Public Participation In Budget/Fiscal Policy", "Participación pública en el presupuesto y la política fiscal", "Public participation in budget and fiscal policy"),
        ("Oversight Of Budget/Fiscal Policies", "Fiscalización del presupuesto y la política fiscal", "Oversight of budget and fiscal policies"),
        ("Stimulus and Economic Recovery", "Estímulo y recuperación económica", "Stimulus and economic recovery"),
        ("Tax", "Impuestos", "Tax"),
        ("Debt", "Deuda", "Debt"),
    ]),
    (("Inclusion", "Inclusión", "Inclusion"), [
        ("Gender", "Género", "Gender"),
        ("Gender-Based Violence", "Violencia de género", "Gender-based violence"),
        ("Economic Inclusion", "Inclusión económica", "Economic inclusion"),
        ("LGBTQIA+", "LGBTQIA+", "LGBTQIA+"),
        ("People with Disabilities", "Personas con discapacidad", "People with disabilities"),
        ("Youth", "Juventud", "Youth"),
    ]),
    (("Justice", "Justicia", "Justice"), [
        ("Access to Justice", "Acceso a la justicia", "Access to justice"),
        ("Open Justice", "Justicia abierta", "Open justice"),
        ("Policing & Corrections", "Policía y sistema penitenciario", "Policing and corrections"),
        ("Judiciary", "Organismo judicial", "Judiciary"),
    ]),
    (("Open Parliaments", "Parlamento abierto", "Open parliaments"), []),
    (("Public Service Delivery", "Prestación de servicios públicos", "Public service delivery"), [
        ("Citizenship & Immigration", "Ciudadanía y migración", "Citizenship and immigration"),
        ("Education", "Educación", "Education"),
        ("Health & Nutrition", "Salud y nutrición", "Health and nutrition"),
        ("Infrastructure & Transport", "Infraestructura y transporte", "Infrastructure and transport"),
        ("Water & Sanitation", "Agua y saneamiento", "Water and sanitation"),
    ]),
]
# Areas OGP lists without a theme.
OTHERS = [
    ("Capacity Building", "Fortalecimiento de capacidades", "Capacity building"),
    ("Digital Transformation", "Transformación digital", "Digital transformation"),
    ("Legislation", "Legislación", "Legislation"),
    ("Regulation", "Regulación", "Regulation"),
    ("Legislative Oversight", "Control legislativo", "Legislative oversight"),
    ("Open Data", "Datos abiertos", "Open data"),
    ("Public Participation", "Participación pública", "Public participation"),
    ("Aid", "Cooperación internacional", "Aid"),
    ("Energy", "Energía", "Energy"),
    ("Extractive Industries", "Industrias extractivas", "Extractive industries"),
    ("Land and Spatial Planning", "Tierra y ordenamiento territorial", "Land and spatial planning"),
    ("Media & Telecommunications", "Medios y telecomunicaciones", "Media and telecommunications"),
    ("Science & Technology", "Ciencia y tecnología", "Science and technology"),
    ("Security & Public Safety", "Seguridad ciudadana", "Security and public safety"),
    ("Labor", "Trabajo", "Labour"),
    ("Private Sector", "Sector privado", "Private sector"),
    ("Subnational", "Gobierno subnacional", "Subnational"),
    ("Human Rights", "Derechos humanos", "Human rights"),
    ("Sustainable Development Goals", "Objetivos de Desarrollo Sostenible", "Sustainable Development Goals"),
]


def load_taxonomy(apps, schema_editor):
    PolicyArea = apps.get_model("plans", "PolicyArea")
    position = 0

    def add(row, parent=None):
        nonlocal position
        position += 1
        column, name_es, name_en = row
        area, _ = PolicyArea.objects.update_or_create(
            ogp_column=column,
            defaults={
                "slug": slugify(name_en),
                "name_es": name_es,
                "name_en": name_en,
                "parent": parent,
                "position": position,
            },
        )
        return area

    for theme, areas in THEMES:
        parent = add(theme)
        for row in areas:
            add(row, parent)
    for row in OTHERS:
        add(row)


def unload_taxonomy(apps, schema_editor):
    PolicyArea = apps.get_model("plans", "PolicyArea")
    PolicyArea.objects.filter(parent__isnull=False).delete()
    PolicyArea.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_ogp_repository")]
    operations = [migrations.RunPython(load_taxonomy, unload_taxonomy)]
