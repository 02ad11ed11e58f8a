"""Calling a service's HTTP API as the signed-in user, and reading its refusals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request; `field` is the API's name for the input at fault."""

    field: str | None
    message: str


class ApiError(Exception):
    """A service answered with an error status, or did not answer (status 503)."""

    def __init__(self, status: int, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.status = status
        self.problems = problems


def problems_in(body: Any) -> list[Problem]:
    """Our APIs answer `{"detail", "field"}` for a broken rule and
    `{"detail", "errors": [{"field", "message"}]}` for a malformed request."""
    if not isinstance(body, dict):
        return [Problem(None, "the service refused the request")]
    if isinstance(body.get("errors"), list):
        return [Problem(error.get("field"), str(error.get("message"))) for error in body["errors"]]
    return [Problem(body.get("field"), str(body.get("detail", "the service refused the request")))]


class ApiClient:
    """One service's API, called with the signed-in user's bearer token."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self._http = http
        self._headers = {"Authorization": f"Bearer {token}"}

    async def get(self, path: str, **params: Any) -> Any:
        query = {key: value for key, value in params.items() if value is not None}
        return await self._send("GET", path, params=query)

    async def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return await self._send("POST", path, json=body)

    async def _send(self, method: str, path: str, **options: Any) -> Any:
        try:
            response = await self._http.request(method, path, headers=self._headers, **options)
        except httpx.HTTPError as error:
            raise ApiError(503, [Problem(None, f"{self._http.base_url} did not answer")]) from error
        if response.is_success:
            return response.json()
        try:
            body = response.json()
        except ValueError:
            body = None
        raise ApiError(response.status_code, problems_in(body))
