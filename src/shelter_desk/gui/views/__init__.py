"""The pages of the main window (``pages.PAGES``) and what they share (``base``).

This package imports nothing itself, so a view or a workspace tab can import
``views.base`` without pulling in every other page.
"""
