// GOV.UK Frontend's page template runs this first thing in <body>: components style themselves
// for JavaScript only once the body has these classes. A file, not inline, for the CSP.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
