"""What evaluation's bus handles: the commands of its routes, and the events its worker
subscribes to (see shared/bus.py): orders paid or invoiced (until cancelled) and deployments
make participants; fulfilled orders and deployments make deliveries to rate; the register feeds
comparison groups; the ledger's postings give programme costs."""

from __future__ import annotations

from services.evaluation.application import (
    events_in,
    maturity,
    programmes,
    published_outcomes,
    ratings,
)
from shared.bus import Commands, Events

COMMANDS: Commands = {
    programmes.CreateProgramme: programmes.create_programme,
    programmes.MatchComparison: programmes.match_comparison,
    programmes.ChooseComparison: programmes.choose_comparison,
    programmes.DeclareMeasure: programmes.declare_measure,
    programmes.RecordResults: programmes.record_results,
    published_outcomes.ImportKs2File: published_outcomes.import_ks2_file,
    published_outcomes.TrackMeasures: published_outcomes.track_measures,
    published_outcomes.MatchOnOutcomes: published_outcomes.match_on_outcomes,
    maturity.CreateNetwork: maturity.create_network,
    maturity.Assess: maturity.assess,
    ratings.RateDelivery: ratings.rate_delivery,
}

EVENTS: Events = events_in.EVENTS
