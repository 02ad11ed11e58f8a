"""The catalogue as CSV: the spreadsheet catalogue admins keep, loaded and saved whole."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from services.catalogue.adapters.catalogue_csv import read_catalogue, write_catalogue
from services.catalogue.application import importing, views
from services.catalogue.entrypoints.deps import BusDep, CatalogueAdmin, Today, UnitOfWorkDep
from shared.api.catalogue import ImportReportPublic
from shared.bounds import CsvText

router = APIRouter(prefix="/services", tags=["import and export"])


@router.get("/export.csv", response_class=Response)
async def export_csv(uow: UnitOfWorkDep, today: Today, _: CatalogueAdmin) -> Response:
    """The whole catalogue as CSV, one service per row, at the prices in force today."""
    return Response(
        write_catalogue(await views.catalogue_rows(uow, today=today)),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="catalogue.csv"'},
    )


@router.post("/import.csv")
async def import_csv(
    bus: BusDep,
    _: CatalogueAdmin,
    body: Annotated[CsvText, Body(media_type="text/csv")],
) -> ImportReportPublic:
    """Create or update services from CSV; a bad row (line, column) changes nothing."""
    result = await bus.handle(importing.ImportCatalogue(read_catalogue(body)))
    return ImportReportPublic(**result.__dict__)
