"""Meeting pack: bilingual charts, HTML / PDF report and Excel workbook from a results folder.

Modules: ``texts`` (the fixed zh/en texts), ``labels`` (labels of indicators, units, measures),
``key_labels`` (labels of scenario keys and values), ``plan_warnings`` (plan warnings in either
language), ``fonts`` (bundled CJK font), ``chart_base`` (the charts' look and output),
``charts_targets`` / ``charts_values`` (the pack's chart kinds, gathered in ``charts``),
``results`` (reads a saved results folder), ``sources`` (scenario values and their TOML comments),
``document`` (the report's blocks and number formats), ``sections`` / ``compose`` (the report's
content, language by language), ``html`` / ``pdf`` / ``excel`` (renderers), ``reproducible``
(fixed dates and ids), ``pack`` (:func:`sim.report.pack.build_pack`; the ``report`` command is
``sim/cli/report.py``). The studies' outputs: ``chart_style`` (their chart frame and footer),
``charts_levers`` / ``charts_discover`` / ``charts_data`` (their charts), ``console`` (their
console text) and ``study_outputs`` (their results folders).
"""
