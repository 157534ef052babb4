"""Payment's bus reactions: taking over the dossiers processing hands it (`when_<event>_<action>`)."""
