"""The interactive what-if page: a thin layer over the public API (``sim/api.py``).

``controls.py`` reads the page's controls from a scenario, ``progressive.py`` answers a what-if
progressively on common random numbers, ``texts.py`` holds the page's words in Chinese and
English, ``app.py`` is the page itself (Shiny for Python) and how it is served.
"""
