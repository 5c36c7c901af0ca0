"""Original Arabic demo content that `make run` seeds into an empty database."""
