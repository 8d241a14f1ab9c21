"""Publishing: what analysts and report authors read, written atomically beside the warehouse."""
