"""Tellus client: hyperparameter optimisation as a service, from Python (standard library only).

    import tellus
    study = tellus.Client().study("demo", space={"x": {"type": "float", "low": -5, "high": 5}})
    for _ in range(20):
        with study.ask() as trial:
            trial.tell((trial.params["x"] - 2) ** 2)
    print(study.best_trial.params)

See docs/python-client.md in the Tellus repository.
"""
from .client import DEFAULT_URL, Client, Study, Trial
from .errors import (Conflict, FieldError, Forbidden, IdempotencyKeyReused, InvalidRequest, NotFound,
                     QuotaExceeded, RequestTooLarge, ServerError, ServiceUnavailable, TellusError,
                     TellusUnreachable, TrialPruned, Unauthorized, UnsupportedMediaType)

__version__ = "0.1.0"

__all__ = [
    "Client", "Study", "Trial", "DEFAULT_URL", "TrialPruned",
    "TellusError", "FieldError", "InvalidRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict",
    "RequestTooLarge", "UnsupportedMediaType", "IdempotencyKeyReused", "QuotaExceeded", "ServiceUnavailable",
    "ServerError", "TellusUnreachable",
]
