"""The desktop interface (PySide6): the only part of Shelter Desk that imports Qt.

Windows and views never touch the database themselves: they hand a callable to
:func:`shelter_desk.gui.operations.run_op`, which runs it on the one database worker and
delivers the result back on the GUI thread.
"""
