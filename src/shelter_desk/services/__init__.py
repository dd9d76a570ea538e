"""Use cases. Services own the rules; they call the store, never the other way round."""
