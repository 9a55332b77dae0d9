"""The one exception the parser raises for input it cannot use."""


class ParseError(Exception):
    """Raised for input that is not a readable plan (empty, corrupt, encrypted, too large, no text ...).

    The message is one line of plain English meant for the user; callers print it as is.
    """

    def __init__(self, message: str):
        super().__init__(' '.join(str(message).split()))
