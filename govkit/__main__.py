import sys

from govkit.cli import main

sys.exit(main())
