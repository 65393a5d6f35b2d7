"""Network clients: one per network, over requests; they return core dataclasses."""
