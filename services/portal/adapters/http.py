"""Calling a service's HTTP API as the signed-in user, and reading its refusals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request; `field` is the API's name for the input at fault."""

    field: str | None
    message: str


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    disposition: str | None


class ApiError(Exception):
    """A service answered with an error status, or did not answer (status 503)."""

    def __init__(self, status: int, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.status = status
        self.problems = problems


def problems_in(body: Any) -> list[Problem]:
    """Our APIs answer `{"detail", "field"}` for a broken rule and
    `{"detail", "errors": [{"field", "message"}]}` for a malformed request; a file refused
    row by row comes as `{"detail", "field", "errors": [{"line", "message"}]}`."""
    if not isinstance(body, dict):
        return [Problem(None, "the service refused the request")]
    if isinstance(body.get("errors"), list):
        return [_problem(error, body.get("field")) for error in body["errors"]]
    return [Problem(body.get("field"), str(body.get("detail", "the service refused the request")))]


class ApiClient:
    """One service's API, called with the signed-in user's bearer token."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self._http = http
        self._headers = {"Authorization": f"Bearer {token}"}

    async def get(self, path: str, **params: Any) -> Any:
        query = {key: value for key, value in params.items() if value is not None}
        return await self._send("GET", path, params=query)

    async def get_list(self, model: type[Model], path: str, **params: Any) -> list[Model]:
        """A list the API answers, each item read into its contract's model."""
        return [model.model_validate(item) for item in await self.get(path, **params)]

    async def get_page(self, path: str, **params: Any) -> tuple[Any, int]:
        """One page of a paged list, and how many there are in all (its X-Total-Count)."""
        query = {key: value for key, value in params.items() if value is not None}
        response = await self._call("GET", path, params=query)
        return response.json(), int(response.headers.get("x-total-count", "0"))

    async def post(
        self, path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        return await self._send("POST", path, headers, json=body)

    async def post_answered(self, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """A POST whose success status says something (202: accepted, not yet all done): the
        status and the body."""
        response = await self._call("POST", path, json=body)
        return response.status_code, response.json()

    async def delete(self, path: str) -> Any:
        return await self._send("DELETE", path)

    async def put(self, path: str, body: dict[str, Any]) -> Any:
        return await self._send("PUT", path, json=body)

    async def patch(self, path: str, body: dict[str, Any]) -> Any:
        return await self._send("PATCH", path, json=body)

    async def post_csv(self, path: str, text: str) -> Any:
        headers = {"Content-Type": "text/csv"}
        return await self._send("POST", path, content=text.encode(), extra_headers=headers)

    async def download(self, path: str, **params: Any) -> Download:
        """A file the API serves (CSV, XLSX, PNG, PDF), passed on to the browser as it came."""
        query = {key: value for key, value in params.items() if value is not None}
        response = await self._call("GET", path, params=query)
        return Download(
            content=response.content,
            media_type=response.headers.get("content-type", "application/octet-stream"),
            disposition=response.headers.get("content-disposition"),
        )

    async def _send(
        self, method: str, path: str, extra_headers: dict[str, str] | None = None, **options: Any
    ) -> Any:
        return (await self._call(method, path, extra_headers, **options)).json()

    async def _call(
        self, method: str, path: str, extra_headers: dict[str, str] | None = None, **options: Any
    ) -> httpx.Response:
        headers = {**self._headers, **(extra_headers or {})}
        try:
            response = await self._http.request(method, path, headers=headers, **options)
        except httpx.HTTPError as error:
            raise ApiError(503, [Problem(None, f"{self._http.base_url} did not answer")]) from error
        if response.is_success:
            return response
        try:
            body = response.json()
        except ValueError:
            body = None
        raise ApiError(response.status_code, problems_in(body))


def _problem(error: dict[str, Any], field: str | None) -> Problem:
    message = str(error.get("message"))
    if error.get("line") is not None:
        message = f"line {error['line']}: {message}"
    return Problem(error.get("field", field), message)
