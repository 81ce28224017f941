"""The studies' outputs (sensitivity, sweep, compare, discover, calibrate, backtest, optimise):
their charts and chart frame, their console text and their results folders."""
