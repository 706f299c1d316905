"""A progress bar for the server's long commands (an OGP import, a rebuild of the search
index), redrawn in place on the command's output."""

from typing import Any

from django.utils.translation import gettext as _


class ProgressBar:
    """`[#########...........]  45% (2,250/5,000)`, redrawn in place as the work goes on; a count
    alone when the total is not known."""

    WIDTH = 30

    def __init__(self, out: Any, total: int | None) -> None:
        self.out, self.total, self.shown = out, total, -1

    def update(self, done: int) -> None:
        if self.total:
            percent = min(100, done * 100 // self.total)
            if percent == self.shown:
                return
            self.shown = percent
            filled = self.WIDTH * percent // 100
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.out.write(f"\r[{bar}] {percent:3d}% ({done:,}/{self.total:,})", ending="")
        elif done % 100 == 0:
            self.out.write("\r" + _("%(rows)s rows read") % {"rows": done}, ending="")
        self.out.flush()

    def close(self) -> None:
        self.out.write("")
