'use strict';
// Mask editor: the mask lives in a Uint8Array at patch resolution (0/1), shown through an offscreen RGBA
// overlay canvas that is updated only in the rectangle a stroke touched. No per-pixel DOM, so 1000x1000
// patches stay fluid.
const MaskEditor = (() => {
  const MAX_UNDO = 40;
  const MASK_RGB = [255, 40, 60];

  // Colour ramp for the uncertainty heat map (dark blue -> cyan -> yellow -> red).
  const RAMP = [[0, [20, 20, 90]], [0.35, [0, 170, 200]], [0.65, [250, 230, 40]], [1, [230, 20, 20]]];
  function rampColor(t) {
    for (let i = 1; i < RAMP.length; i++) {
      if (t <= RAMP[i][0]) {
        const [t0, c0] = RAMP[i - 1], [t1, c1] = RAMP[i];
        const f = (t - t0) / (t1 - t0);
        return c0.map((v, k) => Math.round(v + f * (c1[k] - v)));
      }
    }
    return RAMP[RAMP.length - 1][1];
  }

  function offscreen(w, h) {
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    return c;
  }

  function pixelsOf(bitmap, w, h) {
    const c = offscreen(w, h);
    const ctx = c.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0, w, h);
    return ctx.getImageData(0, 0, w, h).data;
  }

  /**
   * @param canvas    the visible canvas
   * @param image     ImageBitmap of the patch
   * @param prediction ImageBitmap of the model's binary prediction, or null (empty start mask)
   * @param uncertainty ImageBitmap of the gray uncertainty map, or null
   */
  function create(canvas, image, prediction, uncertainty) {
    const W = image.width, H = image.height;
    canvas.width = W; canvas.height = H;
    const ctx = canvas.getContext('2d');
    let mask = new Uint8Array(W * H);
    const overlayCanvas = offscreen(W, H);
    const octx = overlayCanvas.getContext('2d');
    const overlay = octx.createImageData(W, H);
    let heatCanvas = null;
    let tool = 'brush', radius = 12, opacity = 0.45, heatOn = false;
    const undoStack = [], redoStack = [];
    let polygon = [];
    let cursor = null, drawing = false, last = null;
    let dirty = null, frameQueued = false;
    const listeners = [];

    let initial = new Uint8Array(W * H);
    if (prediction) {
      const p = pixelsOf(prediction, W, H);
      for (let i = 0; i < W * H; i++) initial[i] = p[4 * i] >= 128 ? 1 : 0;
    }
    mask.set(initial);

    if (uncertainty) {
      const u = pixelsOf(uncertainty, W, H);
      heatCanvas = offscreen(W, H);
      const hctx = heatCanvas.getContext('2d');
      const hd = hctx.createImageData(W, H);
      for (let i = 0; i < W * H; i++) {
        const t = u[4 * i] / 255;
        const c = rampColor(t);
        hd.data[4 * i] = c[0]; hd.data[4 * i + 1] = c[1]; hd.data[4 * i + 2] = c[2];
        hd.data[4 * i + 3] = Math.round(60 + 195 * t);
      }
      hctx.putImageData(hd, 0, 0);
    }

    function paintOverlay(x0, y0, x1, y1) {
      const d = overlay.data;
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const i = y * W + x, o = 4 * i;
          if (mask[i]) { d[o] = MASK_RGB[0]; d[o + 1] = MASK_RGB[1]; d[o + 2] = MASK_RGB[2]; d[o + 3] = 255; }
          else { d[o + 3] = 0; }
        }
      }
      octx.putImageData(overlay, 0, 0, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }
    function markDirty(x0, y0, x1, y1) {
      x0 = Math.max(0, x0); y0 = Math.max(0, y0); x1 = Math.min(W - 1, x1); y1 = Math.min(H - 1, y1);
      if (x0 > x1 || y0 > y1) return;
      dirty = dirty ? [Math.min(dirty[0], x0), Math.min(dirty[1], y0), Math.max(dirty[2], x1), Math.max(dirty[3], y1)] : [x0, y0, x1, y1];
    }
    function changed() { listeners.forEach(f => f()); }

    function render() {
      frameQueued = false;
      if (dirty) { paintOverlay(...dirty); dirty = null; }
      ctx.globalAlpha = 1;
      ctx.drawImage(image, 0, 0);
      if (heatOn && heatCanvas) { ctx.globalAlpha = 0.6; ctx.drawImage(heatCanvas, 0, 0); }
      ctx.globalAlpha = opacity;
      ctx.drawImage(overlayCanvas, 0, 0);
      ctx.globalAlpha = 1;
      const lw = Math.max(1, W / canvas.getBoundingClientRect().width || 1);
      if (polygon.length) {
        ctx.strokeStyle = '#ffeb3b'; ctx.lineWidth = lw;
        ctx.beginPath();
        ctx.moveTo(polygon[0][0], polygon[0][1]);
        for (const p of polygon.slice(1)) ctx.lineTo(p[0], p[1]);
        if (cursor) ctx.lineTo(cursor[0], cursor[1]);
        ctx.stroke();
      }
      if (cursor && tool !== 'polygon') {
        ctx.strokeStyle = tool === 'eraser' ? '#00e5ff' : '#ffffff'; ctx.lineWidth = lw;
        ctx.beginPath(); ctx.arc(cursor[0], cursor[1], radius, 0, 2 * Math.PI); ctx.stroke();
      }
    }
    function schedule() {
      if (!frameQueued) { frameQueued = true; requestAnimationFrame(render); }
    }

    function snapshot() {
      undoStack.push(mask.slice());
      if (undoStack.length > MAX_UNDO) undoStack.shift();
      redoStack.length = 0;
    }
    function replaceMask(m) {
      mask = m;
      markDirty(0, 0, W - 1, H - 1);
      schedule(); changed();
    }

    function dab(cx, cy, value) {
      const r = radius, r2 = r * r;
      const x0 = Math.max(0, Math.floor(cx - r)), x1 = Math.min(W - 1, Math.ceil(cx + r));
      const y0 = Math.max(0, Math.floor(cy - r)), y1 = Math.min(H - 1, Math.ceil(cy + r));
      for (let y = y0; y <= y1; y++) {
        const dy = y + 0.5 - cy;
        for (let x = x0; x <= x1; x++) {
          const dx = x + 0.5 - cx;
          if (dx * dx + dy * dy <= r2) mask[y * W + x] = value;
        }
      }
      markDirty(x0, y0, x1, y1);
    }
    function strokeTo(p) {
      const value = tool === 'eraser' ? 0 : 1;
      if (!last) { dab(p[0], p[1], value); last = p; return; }
      const dist = Math.hypot(p[0] - last[0], p[1] - last[1]);
      const steps = Math.max(1, Math.ceil(dist / Math.max(1, radius / 2)));
      for (let s = 1; s <= steps; s++) {
        dab(last[0] + (p[0] - last[0]) * s / steps, last[1] + (p[1] - last[1]) * s / steps, value);
      }
      last = p;
    }

    // Even-odd scanline fill at pixel centres.
    function fillPolygon(pts) {
      let minY = H, maxY = -1;
      for (const p of pts) { minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]); }
      const y0 = Math.max(0, Math.floor(minY)), y1 = Math.min(H - 1, Math.ceil(maxY));
      let xmin = W, xmax = -1;
      for (let y = y0; y <= y1; y++) {
        const yc = y + 0.5, xs = [];
        for (let i = 0; i < pts.length; i++) {
          const a = pts[i], b = pts[(i + 1) % pts.length];
          if ((a[1] <= yc && b[1] > yc) || (b[1] <= yc && a[1] > yc)) {
            xs.push(a[0] + (yc - a[1]) * (b[0] - a[0]) / (b[1] - a[1]));
          }
        }
        xs.sort((p, q) => p - q);
        for (let k = 0; k + 1 < xs.length; k += 2) {
          const xa = Math.max(0, Math.ceil(xs[k] - 0.5)), xb = Math.min(W - 1, Math.floor(xs[k + 1] - 0.5));
          for (let x = xa; x <= xb; x++) mask[y * W + x] = 1;
          xmin = Math.min(xmin, xa); xmax = Math.max(xmax, xb);
        }
      }
      markDirty(xmin, y0, xmax, y1);
    }
    function finishPolygon() {
      if (polygon.length >= 3) { snapshot(); fillPolygon(polygon); changed(); }
      polygon = [];
      schedule();
    }

    function toPatch(ev) {
      const r = canvas.getBoundingClientRect();
      return [(ev.clientX - r.left) * W / r.width, (ev.clientY - r.top) * H / r.height];
    }
    canvas.addEventListener('pointerdown', ev => {
      if (ev.button !== 0) return;
      canvas.focus();
      const p = toPatch(ev);
      if (tool === 'polygon') {
        const r = canvas.getBoundingClientRect();
        const closeDist = 8 * W / r.width;
        if (polygon.length >= 3 && Math.hypot(p[0] - polygon[0][0], p[1] - polygon[0][1]) <= closeDist) finishPolygon();
        else polygon.push(p);
        schedule();
        return;
      }
      canvas.setPointerCapture(ev.pointerId);
      snapshot();
      drawing = true; last = null;
      strokeTo(p); schedule();
    });
    canvas.addEventListener('pointermove', ev => {
      cursor = toPatch(ev);
      if (drawing) strokeTo(cursor);
      schedule();
    });
    const endStroke = () => { if (drawing) { drawing = false; last = null; changed(); schedule(); } };
    canvas.addEventListener('pointerup', endStroke);
    canvas.addEventListener('pointercancel', endStroke);
    canvas.addEventListener('pointerleave', () => { cursor = null; schedule(); });
    canvas.addEventListener('dblclick', () => { if (tool === 'polygon') finishPolygon(); });

    markDirty(0, 0, W - 1, H - 1);
    schedule();

    return {
      width: W, height: H,
      get tool() { return tool; },
      setTool(t) { if (tool === 'polygon' && t !== 'polygon') polygon = []; tool = t; schedule(); },
      setRadius(r) { radius = Math.max(1, r); schedule(); },
      get radius() { return radius; },
      setOpacity(o) { opacity = o; schedule(); },
      toggleHeat(on) { heatOn = on === undefined ? !heatOn : on; schedule(); return heatOn; },
      get hasHeat() { return !!heatCanvas; },
      get polygonOpen() { return polygon.length > 0; },
      finishPolygon,
      cancelPolygon() { polygon = []; schedule(); },
      undo() { if (undoStack.length) { redoStack.push(mask.slice()); replaceMask(undoStack.pop()); } },
      redo() { if (redoStack.length) { undoStack.push(mask.slice()); replaceMask(redoStack.pop()); } },
      reset() { snapshot(); replaceMask(initial.slice()); },
      foreground() { let n = 0; for (let i = 0; i < mask.length; i++) n += mask[i]; return n; },
      changedPixels() { let n = 0; for (let i = 0; i < mask.length; i++) n += mask[i] !== initial[i] ? 1 : 0; return n; },
      onChange(f) { listeners.push(f); },
      /** The mask as an opaque 8-bit PNG: white = foreground, black = background. */
      toPngBlob() {
        const c = offscreen(W, H);
        const cctx = c.getContext('2d');
        const img = cctx.createImageData(W, H);
        for (let i = 0; i < W * H; i++) {
          const v = mask[i] ? 255 : 0;
          img.data[4 * i] = v; img.data[4 * i + 1] = v; img.data[4 * i + 2] = v; img.data[4 * i + 3] = 255;
        }
        cctx.putImageData(img, 0, 0);
        return new Promise((resolve, reject) => c.toBlob(b => b ? resolve(b) : reject(new Error('PNG encoding failed')), 'image/png'));
      },
    };
  }

  return { create };
})();
