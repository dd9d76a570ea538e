"""The preview of a printed form, with Print and Save as PDF.

A filled form holds personal data, so the PDF stays in memory: QtPdf reads it from a QBuffer,
never from a temporary file. It is written only to the file the person chooses with Save as
PDF, or sent to the printer they choose; both are audited (on the database worker) before
the data leaves. The window is a child of the window that opened it, so a lock, which
deletes that window, deletes the preview and the PDF with it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.operations import run_op, show_error
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.i18n import N_, _

FORM_LABELS: dict[str, str] = {
    "intake": N_("Intake form"),
    "consent": N_("Consent form"),
    "case-summary": N_("Case summary"),
    "follow-up": N_("Follow-up visit"),
}
"""The printable forms (``reports.names.FORMS``) by the names people know them by."""

MAX_PRINT_DPI = 300
"""Pages are drawn on the printer as images of at most this resolution: sharp on paper,
while an A4 page at a printer's 1200 dpi would need over 500 MB of memory."""

ZOOM_STEP = 1.25
ZOOM_LIMITS = (0.25, 4.0)


def form_label(form: str) -> str:
    return _(FORM_LABELS.get(form, form))


def suggested_file_name(form: str, case_number: str | None) -> str:
    """``intake.pdf`` for a blank form, ``case-summary-HH-2026-000001.pdf`` for a case."""
    if case_number:
        return f"{form}-{case_number.strip()}.pdf"
    return f"{form}.pdf"


def ask_save_path(parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save the PDF (the person's Documents folder first); None if cancelled."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        _("Save the form as PDF"),
        str(Path(folder) / suggested) if folder else suggested,
        _("PDF documents (*.pdf)"),
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def prepare_printer(printer: QPrinter, document: QPdfDocument, doc_name: str) -> None:
    """Paper and job name from the form. The job name is only the form's name: print queues
    keep job names in their logs, so no case number or person's name goes there."""
    printer.setDocName(doc_name)
    printer.setFullPage(True)  # the form has its own margins: print it at its true size
    if document.pageCount() > 0:
        size = QPageSize(
            document.pagePointSize(0),
            QPageSize.Unit.Point,
            "",
            QPageSize.SizeMatchPolicy.FuzzyMatch,
        )
        printer.setPageSize(size)
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)


def pages_to_print(printer: QPrinter, page_count: int) -> range:
    """The pages chosen in the print dialog (0-based), or every page."""
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:
        return range(page_count)
    return range(min(first, page_count) - 1, min(last, page_count))


def paint_pages(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw the chosen pages on ``printer``, each fitted to the paper; return how many.

    Raises ShelterDeskError when the printer cannot be started (it is gone, or the file a
    "print to file" printer should write cannot be opened)."""
    pages = pages_to_print(printer, document.pageCount())
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise ShelterDeskError(
            _("The printer could not be started. Check that it is switched on and try again.")
        )
    try:
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        for n, page in enumerate(pages):
            if n > 0:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = on_white(document.render(page, size, QPdfDocumentRenderOptions()))
            painter.drawImage(fitted(points, paper.size()), image)
    finally:
        painter.end()
    return len(pages)


def on_white(page: QImage) -> QImage:
    """QtPdf renders a page with a transparent background; a printer wants it on white."""
    opaque = QImage(page.size(), QImage.Format.Format_RGB32)
    opaque.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(opaque)
    try:
        painter.drawImage(0, 0, page)
    finally:
        painter.end()
    return opaque


def fitted(page: QSizeF, paper: QSizeF) -> QRectF:
    """The largest rectangle of the page's shape on the paper, centred."""
    if page.isEmpty():
        return QRectF(QPointF(0, 0), paper)
    scale = min(paper.width() / page.width(), paper.height() / page.height())
    width, height = page.width() * scale, page.height() * scale
    return QRectF((paper.width() - width) / 2, (paper.height() - height) / 2, width, height)


class PrintPreview(Retranslated, QWidget):
    """One rendered form: pages to look through, zoom, Print… and Save as PDF…."""

    printed = Signal(int)
    """Emitted with the number of pages after they went to the printer."""
    saved = Signal(str)
    """Emitted with the path after the PDF was written there."""

    def __init__(
        self,
        context: ViewContext,
        pdf: bytes,
        *,
        form: str,
        case_number: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("printPreview")
        self.context = context
        self.form = form
        self.case_number = case_number or None
        self._pdf = pdf
        self.choose_save_path: Callable[[QWidget, str], Path | None] = ask_save_path
        """Asks where to save; tests put a chosen path here instead of a file dialog."""
        self.print_dialog: QPrintDialog | None = None
        self._printer: QPrinter | None = None

        self.buffer = QBuffer(self)
        self.buffer.setData(QByteArray(pdf))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self.buffer)

        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.navigator = self.view.pageNavigator()

        self._build_controls()
        layout = QVBoxLayout(self)
        layout.addLayout(self.controls)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addLayout(self.button_row)
        self._build_shortcuts()
        self.navigator.currentPageChanged.connect(self._show_page_number)
        self.retranslate()
        self._show_page_number(0)
        self.resize(820, 900)

    # -- building ------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.previous_button = QPushButton()
        self.previous_button.clicked.connect(lambda: self.go_to_page(self.current_page() - 1))
        self.next_button = QPushButton()
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page() + 1))
        self.page_label = QLabel()
        self.page_box = QSpinBox()
        self.page_box.setRange(1, max(self.document.pageCount(), 1))
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(lambda value: self.go_to_page(value - 1))
        self.page_label.setBuddy(self.page_box)
        self.page_count_label = QLabel()
        self.zoom_out_button = QPushButton()
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.zoom_in_button = QPushButton()
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.fit_width_button = QPushButton()
        self.fit_width_button.clicked.connect(
            lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        )
        self.fit_page_button = QPushButton()
        self.fit_page_button.clicked.connect(
            lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        )
        self.controls = QHBoxLayout()
        for widget in (
            self.previous_button,
            self.next_button,
            self.page_label,
            self.page_box,
            self.page_count_label,
        ):
            self.controls.addWidget(widget)
        self.controls.addStretch(1)
        for widget in (
            self.zoom_out_button,
            self.zoom_in_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            self.controls.addWidget(widget)

        self.status = QLabel()
        self.status.setObjectName("previewStatus")
        self.status.setWordWrap(True)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.ask_printer)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_as)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        self.button_row = QHBoxLayout()
        self.button_row.addStretch(1)
        for button in (self.print_button, self.save_button, self.close_button):
            self.button_row.addWidget(button)
        self.print_button.setDefault(True)

    def _build_shortcuts(self) -> None:
        for keys, slot in (
            (QKeySequence.StandardKey.Print, self.ask_printer),
            (QKeySequence.StandardKey.Save, self.save_as),
            (QKeySequence.StandardKey.ZoomIn, lambda: self.zoom_by(ZOOM_STEP)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.zoom_by(1 / ZOOM_STEP)),
            (QKeySequence.StandardKey.Close, self.close),
            (QKeySequence(Qt.Key.Key_Escape), self.close),
        ):
            QShortcut(QKeySequence(keys), self, slot)

    def retranslate(self) -> None:
        title = form_label(self.form)
        if self.case_number:
            title = _("{form} — case {number}").format(form=title, number=self.case_number)
        self.setWindowTitle(_("Preview: {title}").format(title=title))
        self.previous_button.setText(_("P&revious page"))
        self.next_button.setText(_("&Next page"))
        self.page_label.setText(_("P&age"))
        self.page_count_label.setText(_("of {count}").format(count=self.document.pageCount()))
        self.zoom_out_button.setText(_("Zoom &out"))
        self.zoom_in_button.setText(_("Zoom &in"))
        self.fit_width_button.setText(_("Fit &width"))
        self.fit_page_button.setText(_("Whole pa&ge"))
        self.print_button.setText(_("&Print…"))
        self.save_button.setText(_("&Save as PDF…"))
        self.close_button.setText(_("&Close"))
        self.view.setAccessibleName(_("Pages of the form"))

    # -- looking through -------------------------------------------------------------
    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """The page shown, counted from 0."""
        return self.navigator.currentPage()

    def go_to_page(self, page: int) -> None:
        if not 0 <= page < self.document.pageCount() or page == self.current_page():
            return
        self.navigator.jump(page, QPointF(), self.navigator.currentZoom())

    def _show_page_number(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < self.document.pageCount() - 1)

    def shown_zoom(self) -> float:
        """The zoom the pages are shown at, also while they are fitted to the window (when
        QPdfView's own zoom factor stays at what was last set)."""
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or self.document.pageCount() == 0:
            return self.view.zoomFactor()
        page = self.document.pagePointSize(max(self.current_page(), 0))
        pixels_per_point = self.view.logicalDpiX() / 72
        margins = self.view.documentMargins()
        room = self.view.viewport().size()
        width = (room.width() - margins.left() - margins.right()) / (
            page.width() * pixels_per_point
        )
        if mode == QPdfView.ZoomMode.FitToWidth:
            return max(width, ZOOM_LIMITS[0])
        height = (room.height() - margins.top() - margins.bottom()) / (
            page.height() * pixels_per_point
        )
        return max(min(width, height), ZOOM_LIMITS[0])

    def zoom_by(self, factor: float) -> None:
        low, high = ZOOM_LIMITS
        zoom = min(max(self.shown_zoom() * factor, low), high)
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(zoom)

    # -- printing --------------------------------------------------------------------
    def ask_printer(self) -> QPrintDialog:
        """Let the person choose any installed printer (and pages, copies); print on OK."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer, self.document, form_label(self.form))
        self._printer = printer  # the dialog only borrows it
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print the form"))
        dialog.setMinMax(1, max(self.document.pageCount(), 1))
        dialog.accepted.connect(lambda: self.print_on(printer))
        dialog.finished.connect(dialog.deleteLater)
        self.print_dialog = dialog
        QDialog.open(dialog)
        return dialog

    def print_on(self, printer: QPrinter) -> None:
        """Audit the print on the worker, then send the pages to ``printer``."""
        session = self.context.session
        form, case_number = self.form, self.case_number
        self.print_button.setEnabled(False)

        def record() -> None:
            from shelter_desk.services import printing  # reportlab: only when printing

            printing.record_printed(session, form, case_number=case_number)

        run_op(
            self,
            self.context.runner,
            record,
            lambda _none: self._paint(printer),
            self._print_refused,
            progress_title=_("Printing…"),
        )

    def _paint(self, printer: QPrinter) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            count = paint_pages(self.document, printer)
        except ShelterDeskError as error:
            self._print_refused(error)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.print_button.setEnabled(True)
        self.status.setText(_("The form was sent to the printer."))
        self.printed.emit(count)

    def _print_refused(self, error: ShelterDeskError) -> None:
        self.print_button.setEnabled(True)
        show_error(self, error.message)

    # -- saving ----------------------------------------------------------------------
    def save_as(self) -> None:
        """Ask where to save, then write the PDF there (and nowhere else) on the worker."""
        path = self.choose_save_path(self, suggested_file_name(self.form, self.case_number))
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        session = self.context.session
        pdf, form, case_number = self._pdf, self.form, self.case_number
        self.save_button.setEnabled(False)

        def save() -> Path:
            from shelter_desk.services import printing  # reportlab: only when printing

            printing.save_pdf(session, pdf, path, form=form, case_number=case_number)
            return path

        run_op(
            self,
            self.context.runner,
            save,
            self._saved,
            self._save_refused,
            progress_title=_("Saving…"),
        )

    def _saved(self, path: Path) -> None:
        self.save_button.setEnabled(True)
        if self.case_number:
            self.status.setText(
                _(
                    "Saved to {path}. This file is not encrypted: keep it where only the"
                    " people who need it can open it, and delete it when it is no longer"
                    " needed."
                ).format(path=str(path))
            )
        else:
            self.status.setText(_("Saved to {path}.").format(path=str(path)))
        self.saved.emit(str(path))

    def _save_refused(self, error: ShelterDeskError) -> None:
        self.save_button.setEnabled(True)
        show_error(self, error.message)

    # -- closing ---------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Let go of the PDF as soon as the window closes."""
        self.document.close()
        self.buffer.close()
        self.buffer.setData(QByteArray())
        self._pdf = b""
        super().closeEvent(event)
