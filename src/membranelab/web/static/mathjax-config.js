// MathJax 3 settings for membranelab serve: \( \) and \[ \] delimiters, no context menu; after
// the page's first typesetting, app.js fits each displayed equation to its box.
window.MathJax = {
  tex: {inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]]},
  options: {enableMenu: false},
  startup: {
    typeset: true,
    pageReady: function () {
      return window.MathJax.startup.defaultPageReady().then(function () {
        if (window.membranelabAfterTypeset) { window.membranelabAfterTypeset(document); }
      });
    }
  }
};
