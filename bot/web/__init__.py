"""Pages served over HTTP: server-rendered, read-only, behind signed links."""
