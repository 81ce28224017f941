"""The studio page's styles: the table, its bars and the charts, at desktop and phone width."""

CSS = """
@font-face { font-family: "ZonesimCJK"; src: url("assets/cjk.otf") format("opentype"); }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "ZonesimCJK", sans-serif; }
.zs-wrap { overflow-x: auto; }
.zs-table { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
.zs-table th, .zs-table td { padding: 4px 6px; border-bottom: 1px solid #e5e5e5; vertical-align: middle; }
.zs-table td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.zs-bar { position: relative; height: 10px; min-width: 90px; background: #f1f3f5; border-radius: 2px; }
.zs-bar .band { position: absolute; top: 0; height: 10px; background: #a5c8ef; }
.zs-bar .p { position: absolute; top: -2px; width: 2px; height: 14px; background: #1b4f8a; }
.zs-up { color: #1a7f37; } .zs-down { color: #c62828; } .zs-flat { color: #6c757d; }
.zs-inactive { color: #8a8a8a; }
.zs-table td.zs-growth { white-space: normal; min-width: 7rem; }
.zs-table td.zs-growth .ci { display: block; }
.zs-need { display: block; font-size: 0.75rem; color: #6c757d; }
.zs-need.zs-above_band { color: #b26a00; } .zs-need.zs-above_all { color: #c62828; font-weight: 600; }
#zs-status { margin: 0.25rem 0 0.75rem; color: #333; }
.zs-msg { margin-top: 0.5rem; font-size: 0.85rem; overflow-wrap: anywhere; }
.zs-chart img { max-width: 100%; height: auto; }
@media (max-width: 1400px) {
  .zs-table .ci { display: block; font-size: 0.75rem; color: #6c757d; }
}
@media (max-width: 576px) {
  .zs-table { font-size: 0.8rem; }
  .zs-table .zs-barcol { display: none; }
  .zs-table td.num { white-space: normal; }
  .zs-table .ci { display: block; font-size: 0.7rem; color: #6c757d; }
}
"""
