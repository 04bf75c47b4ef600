"""The Slack adapter (``app``); every module here names the platform the same way."""

PLATFORM = "slack"
