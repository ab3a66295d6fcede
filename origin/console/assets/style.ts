// The console's one stylesheet, served at /console/assets/console.css?v=<hash> (assets.ts). Kept
// as a string so the Worker needs no asset pipeline; system fonts, so no third-party request.
export const CONSOLE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1b1f24;background:#f6f7f9}
body{margin:0}
a{color:#0b57d0}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:10}
header.top{background:#123;color:#fff;padding:8px 16px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
header.top a{color:#fff}
header.top .brand{font-weight:700;margin-right:8px}
header.top nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;margin:0;padding:0}
header.top nav a[aria-current=page]{text-decoration-thickness:3px}
header.top .who{margin-left:auto;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
header.top button{background:transparent;color:#fff;border:1px solid #fff}
main{max-width:1000px;margin:0 auto;padding:16px}
h1{font-size:1.6rem;margin:8px 0 16px}
h1,h2{overflow-wrap:anywhere}
.card{background:#fff;border:1px solid #d5d9de;border-radius:8px;padding:16px;margin:0 0 16px}
form.stack{display:grid;gap:12px;max-width:480px}
form.filters{display:grid;gap:8px;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));align-items:end}
label{font-weight:600;display:block}
fieldset{border:1px solid #d5d9de;border-radius:6px}
input[type=checkbox]{width:auto}
input[type=checkbox]+label{display:inline}
input,select,textarea{font:inherit;padding:8px;border:1px solid #6b7280;border-radius:6px;width:100%;max-width:100%;background:#fff;color:inherit}
button,.button{font:inherit;padding:8px 14px;border-radius:6px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#0b57d0}
button.danger{background:#b3261e;border-color:#b3261e}
.error{color:#b3261e;font-weight:600;margin:4px 0 0}
.notice{background:#e8f0fe;border:1px solid #0b57d0;border-radius:6px;padding:8px 12px}
.alert{background:#fdecea;border:1px solid #b3261e;border-radius:6px;padding:8px 12px}
.hint{color:#4b5563;font-size:.9rem;margin:4px 0 0}
.table-wrap{overflow-x:auto}.table-wrap:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:8px;border-bottom:1px solid #e5e7eb;vertical-align:top;overflow-wrap:anywhere}
.status-revoked{color:#b3261e;font-weight:600}.status-active{color:#166534;font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}
dl.facts dt{font-weight:600}dl.facts dd{margin:0;overflow-wrap:anywhere}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px}
.stat{background:#fff;border:1px solid #d5d9de;border-radius:8px;padding:12px}.stat b{display:block;font-size:1.6rem}
.achievement-edit{display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));align-items:start}
.badge-preview{margin:0;text-align:center}.badge-preview img{max-width:100%;height:auto}
textarea{resize:vertical}
.actions{display:flex;flex-wrap:wrap;gap:8px}
form.inline{display:flex;flex-wrap:wrap;gap:6px;align-items:center}form.inline select{width:auto}
.visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
code.secret{display:block;padding:8px;background:#fff;border:1px dashed #6b7280;overflow-wrap:anywhere}
figure.chart{margin:0}figure.chart>svg{width:100%;height:auto;display:block;background:#fff}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:8px 0}
ul.failures{padding-left:20px}ul.failures li{margin:0 0 8px;overflow-wrap:anywhere}
ol.syncs{list-style:none;padding:0}ol.attempts{margin:0;padding-left:18px}
[hidden]{display:none!important}
.inline{display:inline}.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.logo-current{margin:0}.logo-current img{max-width:100%;max-height:8rem;width:auto;height:auto;background:#fff;border:1px solid #d5d9de}
ul.recent{padding-left:20px}ul.recent li{margin:0 0 8px;overflow-wrap:anywhere}ul.recent progress{width:100%;max-width:20rem}
`;
