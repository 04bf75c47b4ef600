"""The Slack installation tables peerpath's migration creates are slack_sdk's own, column
for column: the stores read and write them and never create them."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table

from bot.models import SLACK_BOTS, SLACK_INSTALLATIONS, SLACK_OAUTH_STATES


def shape(table: Table) -> tuple[object, ...]:
    columns = [
        (c.name, repr(c.type), c.nullable, c.primary_key, c.default is not None)
        for c in table.columns
    ]
    indexes = sorted((i.name, tuple(c.name for c in i.columns)) for i in table.indexes)
    return table.name, columns, indexes


def test_the_tables_are_the_stores_own() -> None:
    theirs = MetaData()
    store = SQLAlchemyInstallationStore
    assert shape(SLACK_INSTALLATIONS) == shape(
        store.build_installations_table(theirs, "slack_installations")
    )
    assert shape(SLACK_BOTS) == shape(store.build_bots_table(theirs, "slack_bots"))
    states = SQLAlchemyOAuthStateStore.build_oauth_states_table(theirs, "slack_oauth_states")
    assert shape(SLACK_OAUTH_STATES) == shape(states)
