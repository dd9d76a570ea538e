"""A process killed in the middle of a large write leaves all or nothing of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.verify import verify
from tests.conftest import ADMIN, ADMIN_PASSPHRASE

ROWS = 200_000


def _writer(root: Path) -> str:
    return textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from shelter_desk.services.installation import Installation
        session = Installation(Path({str(root)!r})).unlock({ADMIN!r}, {ADMIN_PASSPHRASE!r})
        with session.db.transaction():
            for i in range({ROWS}):
                session.meta.set(f"bulk-{{i}}", "v" * 100)
                if i == 2000:
                    print("WRITING", flush=True)
        print("COMMITTED", flush=True)
        """
    )


def test_sigkill_mid_transaction(admin_session: Session, installation: Installation) -> None:
    admin_session.lock()
    installation.release()
    child = subprocess.Popen(
        [sys.executable, "-c", _writer(installation.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "WRITING"
    time.sleep(0.3)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)

    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    report = verify(session)
    assert report.ok, report.problems
    bulk = session.db.scalar("SELECT count(*) FROM meta WHERE key LIKE 'bulk-%'")
    assert bulk in (0, ROWS)
    session.lock()
