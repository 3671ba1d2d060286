/** The page's stylesheet, served by igflow at /watch.css. */
export const pageStyle = `
:root { --bg:#f6f7f9; --card:#fff; --ink:#1d232b; --dim:#667085; --line:#d6dbe2; --on:#e8f0fe; --cur:#1a73e8; --ok:#137333; --bad:#c5221f; --wait:#b06000; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.4 system-ui, sans-serif; background:var(--bg); color:var(--ink); }
header { display:flex; flex-wrap:wrap; gap:.6rem; align-items:center; padding:.7rem 1rem; background:#fff; border-bottom:1px solid var(--line); position:sticky; top:0; z-index:2; }
header h1 { font-size:1.05rem; margin:0 .8rem 0 0; }
header select, header input { font:inherit; padding:.2rem .4rem; }
#live { margin-left:auto; color:var(--dim); }
#live.on { color:var(--ok); }
#problem { color:var(--bad); }
main { padding:1rem; display:grid; gap:1rem; }
#token-form { padding:1rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.8rem 1rem; }
.card.published { border-left:5px solid var(--ok); }
.card.failed { border-left:5px solid var(--bad); }
.card.active { border-left:5px solid var(--cur); }
.card h2 { font-size:1rem; margin:0; display:flex; gap:.6rem; align-items:baseline; flex-wrap:wrap; }
.card .meta { color:var(--dim); font-size:.85rem; }
.card .state { font-weight:600; }
.card .caption { margin:.3rem 0; font-style:italic; }
.card .wait { color:var(--wait); margin:.3rem 0; }
.card .media { color:var(--ok); font-weight:600; }
.card .error { color:var(--bad); }
.card .remedy { color:var(--ink); }
.parts { border-collapse:collapse; margin:.4rem 0; font-size:.9rem; }
.parts td { padding:.1rem .8rem .1rem 0; }
.charts { display:flex; flex-wrap:wrap; gap:.8rem; margin:.5rem 0; }
.charts figure { margin:0; }
.charts figcaption { font-size:.8rem; color:var(--dim); }
.chart { display:flex; flex-wrap:wrap; gap:4px; max-width:560px; }
.st { border:1px solid var(--line); border-radius:6px; padding:2px 6px; font-size:.75rem; background:#fff; color:var(--dim); }
.st .to { font-size:.65rem; color:#98a2b3; }
.st .kids { display:flex; flex-wrap:wrap; gap:3px; margin:3px 0; }
.st.compound, .st.parallel { background:#fafbfc; }
.st.initial > .head .name::before { content:'● '; color:#98a2b3; }
.st.final { border-style:double; border-width:3px; }
.st.on { background:var(--on); color:var(--ink); border-color:var(--cur); }
.st.current { background:var(--cur); color:#fff; border-color:var(--cur); }
.st.current > .to { color:#dbe7fd; }
.badge { display:inline-block; margin-left:4px; padding:0 4px; border-radius:8px; background:#fbbc04; color:#000; font-size:.65rem; }
details.history { margin-top:.3rem; font-size:.85rem; }
details.history li { color:var(--dim); }
.empty { color:var(--dim); }
`;
