"""The 16:9 meeting deck: what each slide says (:mod:`~sim.report.deck.content`) and the PPTX
drawn from it (:mod:`~sim.report.deck.pptx`)."""
