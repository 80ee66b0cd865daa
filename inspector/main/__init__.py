"""The home page, the language switch and the web app manifest."""
