"""Every command and button peerpath offers, one module per area; ``catalog`` lists them."""
