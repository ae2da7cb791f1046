"""Review commands' cores: check, lock and diff."""
