class DomainError(Exception):
    """A business rule said no. ``message`` is shown to the person as it is."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
