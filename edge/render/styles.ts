// Stylesheets, inlined into each page and allowed by their SHA-256 in the CSP (no third-party
// fonts or files). Mobile first: most visitors arrive from a QR scan on a phone.

const BASE = `
:root{--bg:#f4f6f9;--card:#fff;--text:#161b26;--muted:#4a5365;--line:#dde2ea;--brand:#1c3d8f;--link:#1d4ed8;
--ok:#0b6b35;--ok-bg:#e6f5eb;--bad:#b42318;--bad-bg:#fdecea;--warn:#8a4b00;--warn-bg:#fff3df;--mute:#3f4a5c;--mute-bg:#eceff4;
--radius:14px;--shadow:0 1px 2px rgba(16,24,40,.06),0 1px 3px rgba(16,24,40,.08)}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--link);text-underline-offset:2px}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px;border-radius:4px}
h1,h2,h3{line-height:1.25;margin:0 0 .5rem}
h1{font-size:1.6rem;letter-spacing:-.01em}
h2{font-size:1.1rem}
p{margin:0 0 .75rem}
.muted{color:var(--muted)}
.skip{position:absolute;left:-100vw;top:.5rem;background:#fff;color:var(--link);padding:.5rem .8rem;border-radius:8px;z-index:10}
.skip:focus{left:.5rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.icon{flex:none}
.banner{display:flex;gap:.8rem;align-items:flex-start;padding:1rem 1.1rem;border-radius:var(--radius);border:1px solid;margin-bottom:1rem}
.banner__title{font-size:1.25rem;font-weight:700;margin:0 0 .15rem}
.banner__text{margin:0}
.banner--ok{background:var(--ok-bg);color:var(--ok);border-color:#a9dcb9}
.banner--bad{background:var(--bad-bg);color:var(--bad);border-color:#f4b8b1}
.banner--warn{background:var(--warn-bg);color:var(--warn);border-color:#f3cf95}
.banner--muted{background:var(--mute-bg);color:var(--mute);border-color:#cfd6e1}
.banner__text{color:var(--text)}
.check-list{list-style:none;margin:0;padding:0}
.check{display:grid;grid-template-columns:18px 1fr;column-gap:.6rem;padding:.55rem 0;border-top:1px solid var(--line)}
.check:first-child{border-top:0}
.check .icon{margin-top:.2rem}
.check--ok .icon{color:var(--ok)}
.check--bad .icon{color:var(--bad)}
.check__name{font-weight:600}
.check__detail{grid-column:2;color:var(--muted);font-size:.85rem;overflow-wrap:anywhere}
`;

/** The full pages: /c/:id, /verify and the 404 page. */
export const PAGE_CSS =
  BASE +
  `
.site-header{background:var(--brand);color:#fff}
.site-header__inner,.site-footer__inner,main{max-width:44rem;margin:0 auto;padding:0 1rem}
.site-header__inner{display:flex;align-items:center;justify-content:space-between;gap:1rem;height:3.25rem}
.brand{display:flex;align-items:center;gap:.5rem;color:#fff;text-decoration:none;font-weight:700;font-size:1.1rem}
.site-header nav a{color:#fff;font-size:.95rem}
.site-header :focus-visible{outline-color:#fff}
main{padding-top:1rem;padding-bottom:.5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);box-shadow:var(--shadow);padding:1.1rem;margin-bottom:1rem}
.hero{text-align:center}
.hero__badge{display:block;width:9.5rem;height:9.5rem;margin:0 auto .9rem;object-fit:contain}
.hero__eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:.78rem;font-weight:700;color:var(--muted);margin-bottom:.3rem}
.hero__recipient{font-size:1.15rem;margin-bottom:.25rem}
.facts{display:grid;grid-template-columns:1fr 1fr;gap:.6rem 1rem;margin:1rem 0 0;text-align:left}
.facts__wide{grid-column:1/-1}
.facts__aside{font-weight:400;font-size:.85rem;margin-left:.35rem;color:var(--muted)}
.label{font-size:.9rem;font-weight:600;color:var(--muted);margin:0}
.facts div{border-top:1px solid var(--line);padding-top:.6rem}
.facts dt{font-size:.8rem;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.05em}
.facts dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.prose{white-space:pre-line;overflow-wrap:anywhere}
.actions{display:grid;gap:.6rem}
.btn{display:flex;align-items:center;justify-content:center;gap:.5rem;min-height:2.9rem;padding:.6rem 1rem;border-radius:10px;border:1px solid var(--line);background:#fff;color:var(--text);font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.btn:hover{background:#f7f8fb}
.btn--linkedin{background:#0a66c2;border-color:#0a66c2;color:#fff}
.btn--linkedin:hover{background:#004182}
.btn--primary{background:var(--link);border-color:var(--link);color:#fff}
.btn--primary:hover{background:#1e40af}
.downloads{display:grid;grid-template-columns:repeat(3,1fr);gap:.5rem}
.downloads .btn{font-size:.88rem;min-height:2.6rem;padding:.4rem;white-space:nowrap}
.downloads .btn--wide{grid-column:1/-1}
.share-url{display:flex;gap:.5rem}
.field{width:100%;font:inherit;font-size:.9rem;padding:.6rem .7rem;border:1px solid #b9c1ce;border-radius:8px;background:#fbfcfd;color:var(--text)}
textarea.field{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem;min-height:6rem;resize:vertical}
.qr{display:flex;gap:1rem;align-items:center}
.qr svg{width:8.5rem;height:8.5rem;flex:none;border:1px solid var(--line);border-radius:8px}
details summary{cursor:pointer;font-weight:600}
.site-footer{color:var(--muted);font-size:.85rem;padding:1.5rem 0 2rem}
.drop{display:block;border:2px dashed #9aa6b8;border-radius:var(--radius);padding:1.2rem;text-align:center;background:#fbfcfe}
.drop.is-over{border-color:var(--link);background:#eef3ff}
.stack{display:grid;gap:.75rem}
[hidden]{display:none!important}
@media (min-width:40rem){
h1{font-size:2rem}
.hero{display:grid;grid-template-columns:11rem 1fr;gap:1.25rem;text-align:left;align-items:center}
.hero__badge{width:11rem;height:11rem;margin:0}
.facts{grid-template-columns:1fr 1fr 1fr}
.actions{grid-template-columns:1fr 1fr}
}
`;

/** The compact widget at /c/:id/embed (framed by other sites). */
export const EMBED_CSS =
  BASE +
  `
body{background:transparent;margin:0;padding:1px}
.widget{display:flex;gap:.8rem;align-items:center;background:#fff;border:1px solid var(--line);border-radius:var(--radius);padding:.75rem;max-width:30rem;height:calc(100vh - 2px);overflow:hidden}
.widget p{line-height:1.4}
.widget>div{min-width:0}
.widget__name,.widget__meta{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.widget img{width:4.5rem;height:4.5rem;object-fit:contain;flex:none}
.widget__name{font-weight:700;margin:0;font-size:1rem}
.widget__meta{margin:0;color:var(--muted);font-size:.85rem}
.pill{display:inline-flex;align-items:center;gap:.3rem;font-size:.8rem;font-weight:700;padding:.1rem .55rem;border-radius:99px;margin-bottom:.25rem}
.pill--ok{background:var(--ok-bg);color:var(--ok)}
.pill--bad{background:var(--bad-bg);color:var(--bad)}
.pill--warn{background:var(--warn-bg);color:var(--warn)}
.pill--muted{background:var(--mute-bg);color:var(--mute)}
`;
