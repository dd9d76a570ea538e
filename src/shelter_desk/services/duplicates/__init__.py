"""Possible duplicates: the same person registered twice, in one shelter or across the
network. ``tokens``: what a person is recognised by (plain keys and keyed tokens);
``matching``: pairs and their scores; ``decisions``: listing, confirming and dismissing
(audited), and the check at intake. Import the submodules (``sharing`` imports ``tokens``
alone)."""
