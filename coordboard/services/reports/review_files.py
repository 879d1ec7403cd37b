"""A closed review's paperwork: the bulletin (DOCX and Markdown) and the ledger (XLSX).

Sealing a review and writing its files are two steps (a file system cannot join a
database transaction), so the files are always re-creatable from the sealed record:
``coordboard report review N`` calls ``write`` again. The bulletin is built from the
review's own record (its as-of date, decisions, attendees, next steps); the ledger is the
task list as it stands when written.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from coordboard.config import Settings
from coordboard.enums import ReviewState
from coordboard.errors import NotFoundError, ValidationError
from coordboard.models import Review
from coordboard.services.board import BoardFilter
from coordboard.services.reports import bulletin, bulletin_text, ledger

if TYPE_CHECKING:
    from coordboard.services.permissions import Actor


@dataclass(frozen=True)
class ReviewFiles:
    number: int
    bulletin_docx: Path
    bulletin_md: Path
    ledger_xlsx: Path

    @property
    def paths(self) -> list[Path]:
        return [self.bulletin_docx, self.bulletin_md, self.ledger_xlsx]


def names(review: Review, folder: Path) -> ReviewFiles:
    number = review.number or 0
    return ReviewFiles(number=number, bulletin_docx=folder / f"bulletin-{number}.docx",
                       bulletin_md=folder / f"bulletin-{number}.md",
                       ledger_xlsx=folder / f"ledger-{number}.xlsx")


def write(session: Session, settings: Settings, review: Review, folder: Path, *,
          actor: "Actor | None" = None,
          progress: "Callable[[int, int], None] | None" = None) -> ReviewFiles:
    """Write (or write again) the files of a closed review into ``folder``.

    ``actor``: the user asking (front ends pass it; None only for the service's own calls).
    ``progress``: passed to ``ledger.write`` (rows of the ledger written so far, of how many).

    Each file is replaced atomically, so running it twice, or after a failed attempt,
    never leaves a half-written file."""
    if actor is not None:
        from coordboard.services.permissions import authorize

        authorize(actor, "view_review")
    if review.state != ReviewState.CLOSED or not review.number:
        raise ValidationError("report.error.review_open", week=review.week)
    folder.mkdir(parents=True, exist_ok=True)
    files = names(review, folder)
    data = bulletin.build(session, settings, review.week, review=review)
    bulletin_text.write_markdown(data, files.bulletin_md)
    ledger.write(session, settings, BoardFilter(), files.ledger_xlsx, progress=progress)
    # Last: the office's own template is what most often fails (a misspelt placeholder),
    # and the ledger and the Markdown bulletin do not depend on it.
    bulletin.to_docx(data, files.bulletin_docx, settings.bulletin_template)
    return files


def _get(session: Session, review_id: int) -> Review:
    found = session.get(Review, review_id)
    if found is None:
        raise NotFoundError("error.review_not_found", ref=review_id)
    return found


def number_of(session: Session, review_id: int) -> int | str:
    """The issue number of a review, for messages ("—" while it is open)."""
    return _get(session, review_id).number or "—"


def write_by_id(session: Session, settings: Settings, review_id: int, folder: Path, *,
                progress: "Callable[[int, int], None] | None" = None) -> ReviewFiles:
    return write(session, settings, _get(session, review_id), folder, progress=progress)
