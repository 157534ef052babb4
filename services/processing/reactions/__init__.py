"""Processing's bus reactions: taking over the dossiers other holders hand it (`when_<event>_<action>`)."""
