"""What MLflow, requests and SQLAlchemy raise -> one line saying what is wrong and the fix."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from govkit.errors import MlflowInputError
from govkit.sources.mlflow_session import CAPS
from govkit.sources.uri_redaction import redact_uri, scrub

# urllib3's message once retries ran out, and MLflow's when it got the status itself
_STATUS = re.compile(r"too many (\d{3}) error responses|error code (\d{3}) != 200")


def source_errors() -> tuple[type[BaseException], ...]:
    """What MLflow, its HTTP client and its database layer raise when the store cannot be
    read; anything else is a govkit bug and stays one (exit 3)."""
    import requests
    from mlflow.exceptions import MlflowException
    from sqlalchemy.exc import SQLAlchemyError

    return (MlflowException, requests.RequestException, SQLAlchemyError)


def uri_error(uri: str, message: str, fix: str) -> MlflowInputError:
    """`URI: message (fix)` with the URI's secrets masked everywhere in the line."""
    message, fix = scrub(message, uri), scrub(fix, uri)
    return MlflowInputError.single(redact_uri(uri), message, hint=fix)


def store_error(uri: str, exc: BaseException) -> MlflowInputError:
    """The failure `exc` while opening or reading the store at `uri`, as one line."""
    return uri_error(uri, *_explain(uri, exc))


def describe(exc: BaseException) -> str:
    """The whole message on one line (never cut), or the type when there is none."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _explain(uri: str, exc: BaseException) -> tuple[str, str]:
    import requests

    chain = list(_chain(exc))
    schemes = getattr(exc, "supported_uri_schemes", None)
    if schemes is not None:
        return _unknown_scheme(uri, [str(s) for s in schemes if s])
    text = describe(exc)
    where = urlsplit(uri).netloc.rpartition("@")[2] if "://" in uri else uri
    if any(isinstance(e, (requests.Timeout, TimeoutError)) for e in chain):
        timeout, retries = (_setting(k) for k in ("TIMEOUT", "MAX_RETRIES"))
        return (f"no answer within {timeout} s from {where} ({1 + retries} attempts)",
                "check that the tracking server is healthy")
    status = next((m for m in (_STATUS.search(str(e)) for e in chain) if m), None)
    if status:
        return (f"the server at {where} answered HTTP {status.group(1) or status.group(2)}",
                "check the tracking server's health and logs, then retry")
    if any(isinstance(e, requests.ConnectionError) for e in chain):
        reason = next((o.strerror for o in chain if isinstance(o, OSError) and o.strerror),
                      "connection failed")
        return (f"nothing answers at {where} ({reason})",
                "start the tracking server or fix the host and port in the URI")
    if "Databricks credential" in text:
        return ("Databricks credentials are not configured (no DATABRICKS_HOST and "
                "DATABRICKS_TOKEN, no profile in ~/.databrickscfg)",
                "set DATABRICKS_HOST and DATABRICKS_TOKEN, or run `databricks auth login`")
    if "readonly database" in text:
        return ("MLflow tried to write to the store (a migration or a missing default "
                "experiment); govkit opens stores read-only",
                "back it up and let MLflow upgrade or repair it (`mlflow db upgrade`), then "
                "ingest again")
    return f"cannot read the store: {type(exc).__name__}: {text}", "check tracking_uri"


def _setting(name: str) -> int:
    """The HTTP bound in force (inside `mlflow_session`), e.g. TIMEOUT."""
    key = f"MLFLOW_HTTP_REQUEST_{name}"
    value = os.environ.get(key, "")
    return int(value) if value.isdigit() else CAPS[key]


def _scheme_word(uri: str) -> str:
    return uri.partition(":")[0].lower()


def _unknown_scheme(uri: str, schemes: list[str]) -> tuple[str, str]:
    scheme = _scheme_word(uri)
    known = ", ".join(sorted(schemes))
    close = difflib.get_close_matches(scheme, schemes, n=1, cutoff=0.6)
    fix = f"MLflow reads {known}"
    if close:
        fix = f"did you mean {close[0]}{uri[len(scheme):]}? {fix}"
    return f"unknown scheme {scheme!r}", fix


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
