"""Logging helpers referenced from settings.LOGGING."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """An ordinary refusal (a 4xx such as 403 Forbidden) is one line in the log, not a
    traceback: it is the application working as intended, not a fault to investigate."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
