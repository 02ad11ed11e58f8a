"""What commissioning's bus handles: the commands of its routes, and the events its worker
subscribes to (see shared/bus.py)."""

from __future__ import annotations

from services.commissioning.application import cases, contracts, deployments, kpis, schools
from shared.bus import Commands, Events
from shared.events import SchoolRegisteredV1

COMMANDS: Commands = {
    cases.OpenCase: cases.open_case,
    cases.MoveCase: cases.move_case,
    cases.NoteVisit: cases.note_visit,
    contracts.RecordContract: contracts.record_contract,
    contracts.SignContract: contracts.sign_contract,
    contracts.VaryContract: contracts.vary_contract,
    contracts.ApproveVariation: contracts.approve_variation,
    contracts.DeclineVariation: contracts.decline_variation,
    contracts.CloseContract: contracts.close_contract,
    contracts.AddMilestone: contracts.add_milestone,
    contracts.CompleteMilestone: contracts.complete_milestone,
    deployments.Deploy: deployments.deploy,
    deployments.CompleteDeployment: deployments.complete_deployment,
    kpis.DefineKpi: kpis.define_kpi,
    kpis.ReportActual: kpis.report_actual,
    schools.CategoriseSchool: schools.categorise_school,
}

EVENTS: Events = {SchoolRegisteredV1: schools.record_registered_school}
