"""The Argon2id cost an installation really uses (the suite itself runs with a cheap one)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from shelter_desk.security.keyslots import KdfParams


def test_the_applications_slots_cost_what_owasp_asks_for_at_least() -> None:
    # OWASP's Password Storage Cheat Sheet: Argon2id with at least 19 MiB and 2 passes.
    default = KdfParams()
    assert (default.time_cost, default.memory_kib, default.parallelism) == (3, 64 * 1024, 4)


def test_outside_the_test_suite_new_slots_use_the_full_cost(tmp_path: Path) -> None:
    """A process without tests/conftest.py (the application) creates slots at full cost."""
    program = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from shelter_desk.services.installation import Installation\n"
        "inst = Installation(Path(sys.argv[1]))\n"
        "session, _ = inst.create(org_name='Hope House', admin='amira',\n"
        "    passphrase='olive lantern harbour seventeen', country='IL')\n"
        "session.lock(); inst.release()\n"
    )
    folder = tmp_path / "data"
    subprocess.run([sys.executable, "-c", program, str(folder)], check=True, timeout=120)
    slots = json.loads((folder / "keyslots.json").read_text(encoding="utf-8"))
    costs = {(s["kdf"]["time_cost"], s["kdf"]["memory_kib"]) for s in slots["slots"]}
    assert costs == {(3, 64 * 1024)}
