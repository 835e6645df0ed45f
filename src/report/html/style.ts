/**
 * The one stylesheet every HTML report inlines (the page works offline, from file://). Colours come in light and dark
 * sets with text contrast of at least 4.5:1 on their backgrounds; every status also has a glyph and a word, and the
 * charts and the replay grid add a pattern, so nothing is told by colour alone.
 */
export const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa; --link: #0969da;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #b3261e; --bad-bg: #ffebe9; --warn: #7d4e00; --warn-bg: #fff8c5;
  --info: #0550ae; --info-bg: #ddf4ff; --bar: #3b6fd8; --bar-alt: #8250df; --waste: #c2410c; --absent: #eef1f4;
  --mark-error: rgba(207, 34, 46, 0.18); --mark-warning: rgba(212, 167, 44, 0.3); --mark-info: rgba(9, 105, 218, 0.16);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23; --link: #58a6ff;
    --ok: #4ac26b; --ok-bg: #12261e; --bad: #ff7b72; --bad-bg: #2d1417; --warn: #d29922; --warn-bg: #2b2111;
    --info: #79c0ff; --info-bg: #0c2d6b; --bar: #6e9cf5; --bar-alt: #b692f6; --waste: #f0883e; --absent: #1f252d;
    --mark-error: rgba(248, 81, 73, 0.3); --mark-warning: rgba(210, 153, 34, 0.35); --mark-info: rgba(56, 139, 253, 0.3);
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
a { color: var(--link); }
header.top { padding: 20px 32px 16px; border-bottom: 1px solid var(--border); background: var(--panel); }
header.top .brand { font-size: 13px; color: var(--muted); letter-spacing: .04em; text-transform: uppercase; margin: 0; }
header.top h1 { margin: 2px 0 4px; font-size: 24px; line-height: 1.25; overflow-wrap: anywhere; }
header.top .subtitle { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
main { max-width: 1180px; margin: 0 auto; padding: 8px 32px 32px; }
footer { max-width: 1180px; margin: 0 auto; padding: 12px 32px 32px; color: var(--muted); font-size: 13px; }
section { margin-top: 28px; }
h2 { font-size: 18px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 18px 0 8px; overflow-wrap: anywhere; }
p.note, .muted { color: var(--muted); }
code, .mono, table.code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 20px; }
.card { border: 1px solid var(--border); border-radius: 8px; padding: 10px 16px; min-width: 140px; background: var(--bg); }
.card .value { font-size: 22px; font-weight: 600; display: block; }
.card .label { font-size: 13px; color: var(--muted); }
.card.ok .value { color: var(--ok); } .card.bad .value { color: var(--bad); } .card.warn .value { color: var(--warn); }
.panel { border: 1px solid var(--border); border-radius: 8px; overflow: hidden; }
.scroll { overflow-x: auto; }
table.code { border-collapse: collapse; width: 100%; }
table.code td { padding: 0 8px; vertical-align: top; }
table.code td.num { color: var(--muted); text-align: right; user-select: none; width: 1%; padding-left: 4px; }
table.code td.num a { color: inherit; text-decoration: none; }
table.code td.gutter { width: 1%; white-space: nowrap; padding: 1px 6px; }
table.code td.src { white-space: pre; tab-size: 4; width: 100%; }
table.code td.aside { white-space: nowrap; text-align: right; color: var(--muted); }
table.code tr.line > td { padding-top: 1px; padding-bottom: 1px; }
table.code tr.line:target > td, table.code tr.line.flash > td { background: var(--info-bg); }
table.code tr.line.has-notes > td.src { font-weight: 600; }
table.code tr.note td.msg { white-space: normal; font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 13px; padding: 2px 8px 6px; }
.msg-item { display: block; border-left: 3px solid var(--border); padding: 2px 8px; margin: 2px 0; }
.msg-item.error, .msg-item.rebuilt { border-color: var(--bad); }
.msg-item.warning, .msg-item.unknown { border-color: var(--warn); }
.msg-item.info { border-color: var(--info); }
.msg-item.cached { border-color: var(--ok); }
.msg-item .rule { color: var(--muted); }
tr.stripe-cached > td.num { box-shadow: inset 3px 0 0 var(--ok); }
tr.stripe-rebuilt > td.num { box-shadow: inset 3px 0 0 var(--bad); }
tr.stripe-unknown > td.num { box-shadow: inset 3px 0 0 var(--warn); }
.msg-item code, table.data code { background: var(--panel); border: 1px solid var(--border); border-radius: 4px; padding: 0 3px; font-size: 12px; }
.msg-item strong { font-weight: 600; }
h2 .mono { font-size: 16px; }
.nowrap { white-space: nowrap; }
svg.chart tspan.muted { fill: var(--muted); }
mark { color: inherit; border-radius: 2px; padding: 0; }
mark.error { background: var(--mark-error); text-decoration: underline wavy var(--bad); text-underline-offset: 3px; }
mark.warning { background: var(--mark-warning); text-decoration: underline wavy var(--warn); text-underline-offset: 3px; }
mark.info { background: var(--mark-info); text-decoration: underline dotted var(--info); text-underline-offset: 3px; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; line-height: 18px;
  font-family: system-ui, "DejaVu Sans", sans-serif; border: 1px solid transparent; white-space: nowrap; }
.badge.cached { color: var(--ok); background: var(--ok-bg); border-color: var(--ok); }
.badge.rebuilt, .badge.error { color: var(--bad); background: var(--bad-bg); border-color: var(--bad); }
.badge.unknown, .badge.warning { color: var(--warn); background: var(--warn-bg); border-color: var(--warn); }
.badge.info { color: var(--info); background: var(--info-bg); border-color: var(--info); }
.badge.size { color: var(--fg); background: var(--panel); border-color: var(--border); font-weight: 500; }
.badge.pass { color: var(--ok); background: var(--ok-bg); border-color: var(--ok); }
.badge.fail { color: var(--bad); background: var(--bad-bg); border-color: var(--bad); }
table.data { border-collapse: collapse; width: 100%; font-size: 14px; }
table.data th, table.data td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--border); vertical-align: top; }
table.data th { font-weight: 600; color: var(--muted); font-size: 13px; }
table.data td.n, table.data th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.data td.path { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; overflow-wrap: anywhere; }
.legend { display: flex; flex-wrap: wrap; gap: 16px; margin: 6px 0 10px; padding: 0; list-style: none; font-size: 13px; color: var(--muted); }
.legend li { display: flex; align-items: center; gap: 6px; }
svg.swatch { width: 18px; height: 12px; }
svg.chart { display: block; width: 100%; height: auto; font-family: system-ui, "DejaVu Sans", sans-serif; }
svg.chart text { fill: var(--fg); font-size: 12px; }
svg.chart text.muted, svg.chart text.tick { fill: var(--muted); }
svg.chart line.grid { stroke: var(--border); stroke-width: 1; }
svg.chart .bar:hover rect.track, svg.chart .bar:focus rect.track { fill: var(--panel); }
svg.chart rect.track { fill: transparent; }
svg.chart a text { fill: var(--link); }
svg.chart .bar:focus { outline: 2px solid var(--link); }
.seg-kept { fill: var(--bar); }
.seg-new { fill: var(--bar-alt); }
.seg-wasted { fill: url(#pattern-wasted); }
.seg-shared { fill: url(#pattern-shared); }
.pattern-waste-stripe { stroke: var(--waste); }
.pattern-waste-bg { fill: var(--bg); }
.pattern-shared-bg { fill: var(--bar); opacity: .35; }
.pattern-shared-dot { fill: var(--bar); }
table.grid { border-collapse: separate; border-spacing: 2px; font-size: 13px; }
table.grid th { font-weight: 500; color: var(--muted); white-space: nowrap; }
table.grid th.step { text-align: left; padding-right: 10px; max-width: 380px; overflow: hidden; text-overflow: ellipsis; color: var(--fg); }
table.grid th.commit { vertical-align: bottom; height: 92px; padding: 0 0 4px; }
table.grid th.commit span { writing-mode: vertical-rl; transform: rotate(180deg); font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
table.grid td.cell { width: 24px; min-width: 24px; height: 24px; text-align: center; font-weight: 700; border-radius: 3px; cursor: default; }
table.grid td.cell:focus { outline: 2px solid var(--link); outline-offset: 1px; }
td.cell.cached { background: var(--ok-bg); color: var(--ok); border: 1px solid var(--ok); }
td.cell.rebuilt { color: var(--bad); border: 1px solid var(--bad);
  background: repeating-linear-gradient(135deg, var(--bad-bg) 0 4px, transparent 4px 7px), var(--bg); }
td.cell.unknown { color: var(--warn); border: 1px dashed var(--warn); background: var(--warn-bg); }
td.cell.absent { color: var(--muted); background: var(--absent); font-weight: 400; }
table.grid td.rate { padding-left: 10px; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.grid tfoot th, table.grid tfoot td { font-size: 12px; color: var(--muted); text-align: center; font-variant-numeric: tabular-nums; }
table.grid tfoot th { text-align: left; }
meter { width: 70px; height: 10px; vertical-align: middle; margin-right: 6px; }
table.data.compare { width: auto; min-width: 60%; }
details summary { cursor: pointer; color: var(--link); margin: 8px 0; }
.tooltip { position: absolute; z-index: 10; max-width: 420px; padding: 6px 10px; border-radius: 6px; font-size: 13px; line-height: 1.4;
  background: var(--fg); color: var(--bg); box-shadow: 0 4px 14px rgba(0,0,0,.25); white-space: pre-line; pointer-events: none; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.error-box { border: 1px solid var(--bad); background: var(--bad-bg); color: var(--fg); border-radius: 8px; padding: 10px 14px; white-space: pre-wrap; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
table.code.diff td.src { padding: 0 10px; }
table.code.diff tr.diff-add > td { background: var(--ok-bg); }
table.code.diff tr.diff-del > td { background: var(--bad-bg); }
table.code.diff tr.diff-head > td { font-weight: 600; }
table.code.diff tr.diff-hunk > td { color: var(--muted); }
.verdict { margin: 4px 0 8px; }
`;
