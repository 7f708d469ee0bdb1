"""Entry script for the PyInstaller bundle: the same command line as ``fieldbook``."""

from app.cli import main

raise SystemExit(main())
