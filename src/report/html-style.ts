/**
 * The HTML report's only style sheet, inline: no font, image or script is fetched. Screen and print
 * (A4): every section after the first page starts a page, table headers repeat on each page, long
 * lines wrap instead of running off the paper, and symbols carry each state with colour only added.
 */
export const HTML_STYLE = `
@page { size: A4; margin: 14mm 12mm; }
:root { color-scheme: light; }
body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1f24; margin: 0 auto; max-width: 190mm; padding: 8mm 6mm; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; border-bottom: 1px solid #c9d1d9; padding-bottom: 1mm; margin: 6mm 0 3mm; }
h3 { font-size: 11pt; margin: 4mm 0 2mm; }
p { margin: 1.5mm 0; }
nav ol { columns: 3; margin: 2mm 0 0; padding-left: 5mm; }
nav a { color: inherit; }
.verdict { border: 2px solid currentColor; border-radius: 2mm; padding: 3mm 4mm; margin: 0 0 4mm; }
.verdict .label { font-size: 15pt; font-weight: 700; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0; font-size: 9.5pt; }
thead { display: table-header-group; }
th, td { border: 1px solid #c9d1d9; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f0f3f6; overflow-wrap: normal; }
td:has(> .mark:only-child) { text-align: center; }
tr { break-inside: avoid; }
pre, code { font-family: ui-monospace, "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: 9pt; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: 2mm; white-space: pre-wrap; overflow-wrap: anywhere; break-inside: avoid; margin: 1.5mm 0 3mm; }
code { overflow-wrap: anywhere; }
section { break-before: page; }
section#change, section#run { break-before: auto; }
details pre { font-size: 7pt; line-height: 1.2; }
.tone-good { color: #116329; }
.tone-bad { color: #b0151d; }
.tone-warn { color: #7d4e00; }
.tone-info { color: #6a2ca3; }
.tone-muted { color: #57606a; }
.mark { font-weight: 700; }
@media print {
  body { max-width: none; padding: 0; }
  nav { display: none; }
  details { display: none; }
  table { font-size: 8.5pt; }
}
`;
