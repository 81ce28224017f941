"""Meeting pack: bilingual charts, HTML / PDF report and Excel workbook from a results folder.

Modules: ``labels`` (zh/en text), ``plan_warnings`` (plan warnings in either language),
``fonts`` (bundled CJK font), ``charts`` (tables in, Figures out), ``results`` (reads a saved results folder), ``sources`` (scenario values and their TOML
comments), ``document`` (report content, language by language), ``html`` / ``pdf`` / ``excel``
(renderers), ``pack`` (:func:`sim.report.pack.build_pack`) and ``cli`` (the ``report`` command).
"""
