/** The player's look, injected once per document so that embedding needs only the script. */

const CSS = `
.tdpr-player { font: 13px/1.4 system-ui, sans-serif; color: #ddd; background: #111; display: inline-flex; flex-direction: column; max-width: 100%; outline: none; }
.tdpr-player:focus-visible { box-shadow: 0 0 0 2px #4a90d9; }
.tdpr-stage { position: relative; line-height: 0; background: #000; }
.tdpr-canvas { max-width: 100%; height: auto; image-rendering: auto; }
.tdpr-pointer { position: absolute; width: 10px; height: 10px; margin: -5px 0 0 -5px; border: 2px solid #fff; border-radius: 50%; box-shadow: 0 0 2px #000; pointer-events: none; display: none; }
.tdpr-controls { display: flex; align-items: center; gap: 8px; padding: 6px 8px; flex-wrap: wrap; }
.tdpr-controls button, .tdpr-controls select { background: #222; color: #ddd; border: 1px solid #444; border-radius: 3px; padding: 2px 8px; font: inherit; cursor: pointer; }
.tdpr-time { font-variant-numeric: tabular-nums; white-space: nowrap; }
.tdpr-timeline { position: relative; flex: 1 1 240px; min-width: 160px; }
.tdpr-track { position: relative; height: 14px; background: #333; border-radius: 3px; cursor: pointer; }
.tdpr-progress { position: absolute; left: 0; top: 0; bottom: 0; background: #4a90d9; border-radius: 3px; pointer-events: none; }
.tdpr-idle { position: absolute; top: 0; bottom: 0; background: repeating-linear-gradient(45deg, #555 0 4px, #444 4px 8px); opacity: .8; pointer-events: none; }
.tdpr-marker { position: absolute; top: -3px; width: 8px; height: 20px; margin-left: -4px; padding: 0 !important; border: none !important; border-radius: 2px !important; cursor: pointer; }
.tdpr-marker-clipboard { background: #e5a50a !important; }
.tdpr-marker-directory { background: #2ec27e !important; }
.tdpr-marker-marker { background: #e01b24 !important; }
.tdpr-marker-session { background: #9141ac !important; }
.tdpr-marker-resize { background: #99c1f1 !important; width: 3px; margin-left: -1px; }
.tdpr-marker-other { background: #aaa !important; }
.tdpr-hover { position: absolute; bottom: 22px; transform: translateX(-50%); display: none; background: #000c; padding: 4px; border-radius: 3px; pointer-events: none; white-space: nowrap; z-index: 2; }
.tdpr-thumbnail { display: none; width: 160px; height: auto; margin-bottom: 2px; }
.tdpr-status { color: #f6d32d; }
.tdpr-status:empty { display: none; }
.tdpr-permalink { color: #8cf; }
`;

export function injectStyles(doc: Document): void {
  if (doc.getElementById("tdpr-player-style")) return;
  const style = doc.createElement("style");
  style.id = "tdpr-player-style";
  style.textContent = CSS;
  doc.head.appendChild(style);
}
