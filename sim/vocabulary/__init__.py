"""The model's vocabulary, each word defined once: outcomes (``outcomes``), levers (``levers``)
and the labels of scenario parameters (``parameters``).

These modules import nothing from the rest of ``sim``, so every layer (model, scenario schema,
analysis, experiments, reports) can use them. Month arithmetic lives in :mod:`sim.months`.
"""
