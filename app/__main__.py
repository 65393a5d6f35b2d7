"""`python -m app` starts Shopkeep (or a subcommand, see app.main)."""

from app.main import main

raise SystemExit(main())
