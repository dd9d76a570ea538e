from shelter_desk.app import main

raise SystemExit(main())
