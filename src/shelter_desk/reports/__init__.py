"""Printed forms: reportlab documents in five languages (and bilingual pairs).

``fonts`` registers the bundled Noto faces, ``text`` shapes, orders and draws complex text
(HarfBuzz, Unicode bidi, per-character font fallback) and ``layout`` has the page frame and
the form building blocks. reportlab is imported here, so import this package only when
printing, not at start-up.
"""
