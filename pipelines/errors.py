"""Errors a user can act on: the CLI prints their message without a stack trace."""


class TradePulseError(Exception):
    """An error with a message that tells the user what went wrong and what to do."""
