"""Everything a person reads: the meeting pack (bilingual charts, HTML / PDF report, Excel
workbook, PPTX deck) from results folders, and the studies' charts, console text and folders.

Subpackages, lowest first (a module imports only its own subpackage and those before it;
``tests/test_structure.py`` checks it):

* ``texts`` -- the words: the fixed zh/en texts (``words``, ``deck_words``), labels of indicators, units and
  measures (``labels``) and of scenario keys (``key_labels``), plan warnings, plan sources, number
  formats (``formats``) and the bundled CJK font (``fonts``);
* ``charts`` -- the pack's charts: their look and output (``base``) and every chart kind
  (``targets``, ``values``, ``slides``); tables in, a Figure out;
* ``results`` (a module here) -- reads a saved results folder;
* ``document`` -- the report: its blocks (``blocks``), sections and composition (``sections``,
  ``compose``), the chart registry (``registry``: every pack chart, where it goes), the HTML /
  PDF / Excel renderers, scenario sources, paired differences, the early warning, and fixed
  dates and ids (``reproducible``);
* ``deck`` -- the meeting deck: what each slide says (``content``) and the PPTX (``pptx``);
* ``studies`` -- the studies' outputs: chart frame (``chart_style``), charts, console text,
  results folders (``study_outputs``) and goal seek;
* ``pack`` (a module here) -- :func:`sim.report.pack.build_pack`; the ``report`` command is
  ``sim/cli/report.py``.
"""
