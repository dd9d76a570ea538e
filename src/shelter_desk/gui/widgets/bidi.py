"""Names and headers that mix scripts, shown in the right order in either direction.

A person's name is shown as "the name as written (the name in Latin letters)". Wrapped as
one isolate, the direction of the whole comes from its first letter, so an Arabic name put
the Latin part and its brackets in right-to-left order ("...Hassan Hami) حسن حامد" once
cut). Each part is its own isolate here, the brackets belong to the surrounding text, and
a cut (Qt elides at the logical end) takes the end of the Latin part.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QStyle, QWizard

from shelter_desk.i18n import is_rtl, isolate

LRM, RLM = "\u200e", "\u200f"


def isolated_name(display: str) -> str:
    """``"original (latin)"`` (``services.cases.display_name``) with each part isolated;
    a name with one part is isolated as a whole."""
    text = display.strip()
    if text.endswith(")") and " (" in text:
        original, _sep, latin = text[:-1].rpartition(" (")
        if original and latin:
            return f"{isolate(original)} ({isolate(latin)})"
    return isolate(text) if text else ""


def in_interface_direction(text: str) -> str:
    """Start ``text`` with the interface's direction mark, so a line that begins with a
    Latin case number still reads (and aligns) right to left in Arabic and Hebrew."""
    return (RLM if is_rtl() else LRM) + text


def point_wizard_arrows(wizard: QWizard) -> None:
    """Back and Next with arrows that point the way the pages turn in this language.

    Qt writes them as text ("< &Back", "&Next >", and its translations keep the ASCII
    signs), which stay unmirrored in Arabic and Hebrew ("< السابق"). Here the words come
    from the same Qt translations without the signs, and the arrows are the style's own
    back/forward icons, which follow the layout direction; Next carries its arrow after
    the word."""
    style = wizard.style()
    rtl = wizard.layoutDirection() == Qt.LayoutDirection.RightToLeft
    for which, source, icon in (
        (QWizard.WizardButton.BackButton, "< &Back", QStyle.StandardPixmap.SP_ArrowBack),
        (QWizard.WizardButton.NextButton, "&Next >", QStyle.StandardPixmap.SP_ArrowForward),
    ):
        words = QCoreApplication.translate("QWizard", source)
        wizard.setButtonText(which, words.replace("<", "").replace(">", "").strip())
        button = wizard.button(which)
        button.setIcon(style.standardIcon(icon, None, button))
        if which == QWizard.WizardButton.NextButton:
            # the icon is drawn before the text in reading order: flip this one button
            button.setLayoutDirection(
                Qt.LayoutDirection.LeftToRight if rtl else Qt.LayoutDirection.RightToLeft
            )
