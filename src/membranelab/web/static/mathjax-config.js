// MathJax 3 settings for membranelab serve: \( \) and \[ \] delimiters, no context menu.
window.MathJax = {
  tex: {inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]]},
  options: {enableMenu: false},
  startup: {typeset: true}
};
