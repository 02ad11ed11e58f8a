// Starts every GOV.UK Frontend component on the page (loaded as a module, after the body).
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();
