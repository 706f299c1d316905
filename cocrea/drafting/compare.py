"""Word-level comparison of two versions, section by section. The texts are people's words: every
piece is escaped before it is wrapped in <ins> or <del>, so nothing they wrote becomes markup."""

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from cocrea.drafting.models import SECTIONS, DraftVersion

# Words, runs of white space and single punctuation marks, so a changed comma is one change.
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_BR = Markup("<br>")


def _html(text: str) -> Markup:
    """Escaped text with its line breaks kept."""
    return _BR.join(escape(line) for line in text.split("\n"))


def word_diff(before: str, after: str) -> Markup:
    """`after` compared with `before`: removed words in <del>, added words in <ins>."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts: list[Markup] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        if op == "equal":
            parts.append(_html(added))
            continue
        if removed:
            parts.append(Markup("<del>{}</del>").format(_html(removed)))
        if added:
            parts.append(Markup("<ins>{}</ins>").format(_html(added)))
    return Markup("").join(parts)


@dataclass
class SectionDiff:
    name: str
    label: str
    changed: bool
    html: Markup


def compare_versions(before: DraftVersion, after: DraftVersion) -> list[SectionDiff]:
    """Every section of the template, in order, with what changed from `before` to `after`."""
    result = []
    for name, label in SECTIONS:
        old, new = before.section_text(name), after.section_text(name)
        result.append(
            SectionDiff(
                name=name,
                label=str(label),
                changed=old != new,
                html=word_diff(old, new) if old != new else _html(new),
            )
        )
    return result
