"""The pack's words in Chinese and English: fixed texts, labels, plan warnings and sources,
number formats and the CJK font. The lowest layer of :mod:`sim.report`: it imports no other part
of it."""
