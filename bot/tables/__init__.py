"""The tables, one module per area; the rest of peerpath imports them from
:mod:`bot.models`."""
