"""`python -m adapters.cli` is `speech-coach` (how `serve` starts its worker process)."""

import sys

from adapters.cli.main import main

sys.exit(main())
