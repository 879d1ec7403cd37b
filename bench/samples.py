"""Sample paperwork as a reader sees it: the bulletin, a notice and the ledger of the demo
town, converted to PDF by LibreOffice and page 1 of each written as a PNG under
docs/samples/.

    python bench/samples.py            # needs soffice (libreoffice-writer-nogui,
                                       # libreoffice-calc-nogui), pdftoppm (poppler-utils)
                                       # and a CJK font (fonts-noto-cjk)

The demo is loaded at the instant the tests freeze (2026-11-25 09:30, Asia/Shanghai), so
the samples change only when the documents do. tests/test_render.py uses the same helpers
to check page size and count of the PDFs.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import Task, TaskUnit
from coordboard.services.board import BoardFilter
from coordboard.services.reports import bulletin, ledger, notice
from coordboard.services.review import iso_week

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"
DPI = 100


def tools_missing() -> list[str]:
    return [tool for tool in ("soffice", "pdfinfo", "pdftoppm", "pdftotext")
            if shutil.which(tool) is None]


def write_documents(db: Database, settings: Settings, folder: Path) -> dict[str, Path]:
    """The bulletin of this week, the notice of the task with most units, the ledger."""
    week = iso_week(clock.today(settings.timezone))
    files = {"bulletin": folder / "bulletin.docx", "notice": folder / "notice.docx",
             "ledger": folder / "ledger.xlsx"}
    with db.read() as session:
        bulletin.to_docx(bulletin.build(session, settings, week), files["bulletin"])
        code = session.exec(
            select(Task.code).join(TaskUnit, TaskUnit.task_id == Task.id)  # type: ignore[arg-type]
            .where(Task.status != "draft").group_by(Task.id, Task.code)
            .order_by(func.count().desc(), Task.id)).first()
        assert code is not None, "the demo has dispatched tasks"
        notice.to_docx(notice.build(session, settings, code), files["notice"])
        ledger.write(session, settings, BoardFilter(), files["ledger"])
    return files


def to_pdf(sources: list[Path], folder: Path) -> dict[Path, Path]:
    """LibreOffice headless, with its own throwaway profile (a user's running LibreOffice
    or a stale lock in ~/.config must not stop it)."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(folder),
                        *map(str, sources)],
                       check=True, capture_output=True, timeout=300)
    return {source: folder / f"{source.stem}.pdf" for source in sources}


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    width_mm: float
    height_mm: float


def pdf_info(pdf: Path) -> PdfInfo:
    """Page count and the size of page 1, from pdfinfo (points → mm)."""
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", out, re.M)
    assert size is not None, out
    width, height = (float(v) / 72 * 25.4 for v in size.groups())
    return PdfInfo(pages, width, height)


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (pdftotext puts a form feed between pages)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    return [page for page in out.split("\f") if page.strip()]


def first_page_png(pdf: Path, target: Path) -> None:
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1",
                    "-singlefile", str(pdf), str(stem)], check=True, capture_output=True)


def main() -> None:
    import pendulum

    from coordboard.migrate import ensure_schema
    from coordboard.paths import seeds_dir
    from coordboard.services.demo import load_demo

    missing = tools_missing()
    if missing:
        sys.exit(f"missing: {', '.join(missing)}")
    SAMPLES.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder, pendulum.travel_to(
            pendulum.datetime(2026, 11, 25, 9, 30, tz="Asia/Shanghai"), freeze=True):
        work = Path(folder)
        db = Database.from_url(f"sqlite:///{work / 'demo.db'}")
        ensure_schema(db)
        load_demo(db, settings, seeds_dir() / "demo.toml")
        files = write_documents(db, settings, work)
        pdfs = to_pdf(list(files.values()), work)
        for name, source in files.items():
            info = pdf_info(pdfs[source])
            first_page_png(pdfs[source], SAMPLES / f"{name}.png")
            print(f"{name}: {info.pages} pages, {info.width_mm:.0f} x {info.height_mm:.0f} mm"
                  f" -> {SAMPLES / f'{name}.png'}")
        db.engine.dispose()


if __name__ == "__main__":
    main()
