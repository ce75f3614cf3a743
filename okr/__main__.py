from okr.cli import main

raise SystemExit(main())
