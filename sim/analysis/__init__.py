"""Pure functions: tables in, tables out (probabilities, intervals, deltas)."""
