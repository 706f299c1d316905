"""The demonstration data set: Guatemala's six national action plans with their real years,
commitment counts and OGP ids; plan V's known titles and lead institutions (../DOMAIN.md); the
rest plausible and marked as demonstration content."""

from datetime import date, timedelta

# (slug, name, acronym, kind, website)
INSTITUTIONS = [
    (
        "gae",
        "Comisión Presidencial de Gobierno Abierto y Electrónico",
        "GAE",
        "government",
        "https://www.gobiernoabierto.gob.gt",
    ),
    ("mingob", "Ministerio de Gobernación", "MINGOB", "government", "https://mingob.gob.gt"),
    ("red-ciudadana", "Red Ciudadana", "", "civil_society", ""),
    ("mineduc", "Ministerio de Educación", "MINEDUC", "government", "https://www.mineduc.gob.gt"),
    (
        "mspas",
        "Ministerio de Salud Pública y Asistencia Social",
        "MSPAS",
        "government",
        "https://www.mspas.gob.gt",
    ),
    ("igm", "Instituto Guatemalteco de Migración", "IGM", "government", ""),
    (
        "marn",
        "Ministerio de Ambiente y Recursos Naturales",
        "MARN",
        "government",
        "https://www.marn.gob.gt",
    ),
    (
        "cost-guatemala",
        "Iniciativa de Transparencia en Infraestructura CoST Guatemala",
        "CoST",
        "other",
        "",
    ),
    (
        "minfin",
        "Ministerio de Finanzas Públicas",
        "MINFIN",
        "government",
        "https://www.minfin.gob.gt",
    ),
    ("cgc", "Contraloría General de Cuentas", "CGC", "government", ""),
    ("senacyt", "Secretaría Nacional de Ciencia y Tecnología", "SENACYT", "government", ""),
    ("inap", "Instituto Nacional de Administración Pública", "INAP", "government", ""),
    ("congreso", "Congreso de la República", "CR", "government", ""),
    ("accion-ciudadana", "Acción Ciudadana", "", "civil_society", ""),
    ("usac", "Universidad de San Carlos de Guatemala", "USAC", "academia", ""),
    ("anam", "Asociación Nacional de Municipalidades", "ANAM", "government", ""),
    ("infom", "Instituto de Fomento Municipal", "INFOM", "government", ""),
    (
        "segeplan",
        "Secretaría de Planificación y Programación de la Presidencia",
        "SEGEPLAN",
        "government",
        "",
    ),
    ("ine", "Instituto Nacional de Estadística", "INE", "government", ""),
    ("oj", "Organismo Judicial", "OJ", "government", ""),
    ("pdh", "Procuraduría de los Derechos Humanos", "PDH", "government", ""),
    ("mem", "Ministerio de Energía y Minas", "MEM", "government", ""),
    ("micivi", "Ministerio de Comunicaciones, Infraestructura y Vivienda", "CIV", "government", ""),
    ("guatecambia", "Guatecambia", "", "civil_society", ""),
    ("doses", "Asociación DOSES", "DOSES", "civil_society", ""),
    ("camara-industria", "Cámara de Industria de Guatemala", "CIG", "private_sector", ""),
    ("pnud", "Programa de las Naciones Unidas para el Desarrollo", "PNUD", "multilateral", ""),
    ("cnc", "Comisión Nacional contra la Corrupción", "CNC", "government", ""),
]

# Plans I to V: (number, start, end, status, commitments), their real years.
PLANS = [
    (1, date(2012, 4, 1), date(2013, 6, 30), "closed", 14),
    (2, date(2014, 11, 1), date(2016, 6, 30), "closed", 48),
    (3, date(2016, 7, 1), date(2018, 6, 30), "closed", 22),
    (4, date(2018, 9, 1), date(2020, 8, 31), "closed", 24),
    (5, date(2021, 9, 1), date(2023, 8, 31), "closed", 12),
]
# The plan being implemented (VI, with its real commitment count) and the next one, in
# co-creation, are dated from the day the demo is loaded (`living_dates`), so the site always
# has a plan under way and a consultation open. (number, status, commitments)
CURRENT_PLAN = (6, "implementation", 6)
NEXT_PLAN = (7, "co_creation", 0)
MONTHS_INTO_CURRENT = 15  # the current plan's start, in whole months before the demo's day
PLAN_YEARS = 2
PLAN_TITLE = "Plan de Acción Nacional de Gobierno Abierto"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII"}
ORDINAL = {
    1: "Primer",
    2: "Segundo",
    3: "Tercer",
    4: "Cuarto",
    5: "Quinto",
    6: "Sexto",
    7: "Séptimo",
}
# OGP numbers Guatemala's commitments in one sequence across plans: plan I starts at GT0001.
FIRST_OGP_NUMBER = {1: 1, 2: 15, 3: 63, 4: 85, 5: 109, 6: 121, 7: 127}

# Plan V: (title, lead, supporting, policy-area columns). Titles and leads from DOMAIN.md where
# known; numbers 9 to 12 are plausible inventions.
PLAN_V = [
    (
        "Fortalecimiento de la publicación de datos abiertos",
        "gae",
        ["ine", "red-ciudadana"],
        ["Open Data", "Right To Information"],
    ),
    (
        "Actualización participativa del Plan de Gobierno Digital",
        "gae",
        ["mingob", "red-ciudadana"],
        ["Digital Transformation", "Digital Participation"],
    ),
    (
        "Herramienta digital de consulta para la transparencia del Ministerio de Educación",
        "mineduc",
        ["usac"],
        ["Education", "Right To Information"],
    ),
    (
        "Transparencia y rendición de cuentas en salud",
        "mspas",
        ["accion-ciudadana"],
        ["Health & Nutrition", "Social Accountability"],
    ),
    (
        "Atención a la migración irregular",
        "igm",
        ["mingob", "pdh"],
        ["Citizenship & Immigration", "Human Rights"],
    ),
    (
        "Seguimiento a las convenciones internacionales anticorrupción",
        "cnc",
        ["cgc", "accion-ciudadana"],
        ["Anti-Corruption Strategies", "Audits"],
    ),
    (
        "Transparencia de los esfuerzos ambientales",
        "marn",
        ["red-ciudadana"],
        ["Environmental Regulation", "Climate Mitigation and Adaptation"],
    ),
    (
        "Formación en contrataciones abiertas para infraestructura (OC4IDS)",
        "gae",
        ["cost-guatemala", "micivi"],
        ["Open Contracting", "Infrastructure & Transport"],
    ),
    (
        "Presupuesto abierto y participativo en municipios",
        "minfin",
        ["anam", "guatecambia"],
        ["Publication Of Budget/Fiscal Information", "Subnational"],
    ),
    (
        "Observatorio ciudadano de compras públicas",
        "minfin",
        ["accion-ciudadana", "camara-industria"],
        ["Public Procurement", "Open Contracting"],
    ),
    (
        "Justicia abierta: publicación de sentencias y estadísticas judiciales",
        "oj",
        ["usac"],
        ["Open Justice", "Open Data"],
    ),
    (
        "Mecanismo de seguimiento ciudadano a los compromisos de gobierno abierto",
        "gae",
        ["doses", "red-ciudadana"],
        ["Social Accountability", "Public Participation"],
    ),
]
PLAN_V_OGP_IDS = {2: "GT0110", 7: "GT0114", 8: "GT0119"}  # the ids DOMAIN.md confirms

# Plausible themes for the other plans: (title, lead, supporting, policy areas).
THEMES = [
    (
        "Portal de transparencia fiscal con datos del presupuesto",
        "minfin",
        ["accion-ciudadana"],
        ["Publication Of Budget/Fiscal Information", "Open Data"],
    ),
    (
        "Fortalecimiento del acceso a la información pública",
        "gae",
        ["pdh", "red-ciudadana"],
        ["Right To Information"],
    ),
    (
        "Sistema de seguimiento de la gestión por resultados",
        "segeplan",
        ["minfin"],
        ["Oversight Of Budget/Fiscal Policies"],
    ),
    (
        "Control ciudadano del crédito público",
        "minfin",
        ["cgc"],
        ["Debt", "Oversight Of Budget/Fiscal Policies"],
    ),
    (
        "Transparencia en la obra pública con CoST",
        "micivi",
        ["cost-guatemala"],
        ["Infrastructure & Transport", "Open Contracting"],
    ),
    (
        "Transparencia de las industrias extractivas (EITI)",
        "mem",
        ["accion-ciudadana"],
        ["Extractive Industries"],
    ),
    (
        "Formación de servidores públicos en gobierno abierto",
        "inap",
        ["usac"],
        ["Capacity Building"],
    ),
    (
        "Participación ciudadana en la formación de leyes",
        "congreso",
        ["red-ciudadana"],
        ["Legislation", "Public Participation"],
    ),
    (
        "Gobierno abierto municipal",
        "anam",
        ["infom", "guatecambia"],
        ["Subnational", "Public Participation"],
    ),
    (
        "Auditoría social de los servicios de salud",
        "mspas",
        ["doses"],
        ["Health & Nutrition", "Social Accountability"],
    ),
    (
        "Datos abiertos de educación por establecimiento",
        "mineduc",
        ["usac"],
        ["Education", "Open Data"],
    ),
    (
        "Estadísticas públicas abiertas y desagregadas",
        "ine",
        ["red-ciudadana"],
        ["Open Data", "Inclusion"],
    ),
    (
        "Política nacional de datos abiertos",
        "senacyt",
        ["gae"],
        ["Open Data", "Digital Transformation"],
    ),
    ("Declaraciones patrimoniales accesibles", "cgc", ["accion-ciudadana"], ["Asset Disclosure"]),
    (
        "Compras públicas electrónicas abiertas",
        "minfin",
        ["camara-industria"],
        ["Public Procurement"],
    ),
    ("Información ambiental accesible", "marn", ["red-ciudadana"], ["Environmental Regulation"]),
    (
        "Acceso a la justicia para pueblos indígenas",
        "oj",
        ["pdh"],
        ["Access to Justice", "Inclusion"],
    ),
    (
        "Conectividad y servicios digitales en el interior",
        "senacyt",
        ["anam"],
        ["Digital Inclusion"],
    ),
    ("Registro público de beneficiarios finales", "minfin", ["cgc"], ["Beneficial Ownership"]),
    (
        "Participación de la juventud en la gestión pública",
        "segeplan",
        ["guatecambia"],
        ["Youth", "Public Participation"],
    ),
]

MILESTONE_STEPS = [
    (
        "Diagnóstico de la situación actual con participación de sociedad civil",
        "Informe de diagnóstico publicado",
    ),
    (
        "Diseño participativo de la herramienta o el procedimiento",
        "Documento de diseño validado en mesa técnica",
    ),
    ("Desarrollo y prueba piloto", "Informe de la prueba piloto"),
    ("Capacitación del personal responsable", "Listas de asistencia y materiales publicados"),
    ("Lanzamiento y publicación en línea", "Sitio o herramienta en funcionamiento"),
    ("Evaluación de resultados con sociedad civil", "Informe de evaluación publicado"),
]

SDG_BY_AREA = {
    "Education": [4],
    "Health & Nutrition": [3],
    "Environmental Regulation": [13, 15],
    "Climate Mitigation and Adaptation": [13],
    "Citizenship & Immigration": [10],
    "Open Justice": [16],
    "Access to Justice": [16],
    "Inclusion": [10],
    "Youth": [8],
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), kept at most the 28th."""
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def living_dates(today: date) -> dict[str, date]:
    """The dates the living part of the demo hangs on, from the day it is loaded. `anchor` is
    the first of today's month: every date is counted from it, so loading the demo again in
    the same month gives the same dates (and changes nothing), and `today` falls within the
    month after `anchor` (the margins below are chosen for that)."""
    anchor = today.replace(day=1)
    start = add_months(anchor, -MONTHS_INTO_CURRENT)
    following = add_months(start, 12 * PLAN_YEARS)
    return {
        "anchor": anchor,
        "current_start": start,
        "current_end": following - timedelta(days=1),
        "next_start": following,
        "next_end": add_months(following, 12 * PLAN_YEARS) - timedelta(days=1),
    }
