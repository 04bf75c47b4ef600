"""The pages served over HTTP: the facilitator's page."""
