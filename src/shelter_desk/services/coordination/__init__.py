"""Coordination: the coordination log (``log``), the partner directory's search and exports
(``directory``), case numbers kept distinct between organisations (``numbers``) and which
coordination records each partner receives (``routing``).

The package imports none of its modules here, so ``services.cases`` can use ``numbers``
without an import cycle.
"""
