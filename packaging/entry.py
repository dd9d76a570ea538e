"""The frozen program's entry point (PyInstaller runs this file as __main__)."""

from shelter_desk.app import main

raise SystemExit(main())
